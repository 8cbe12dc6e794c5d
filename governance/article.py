"""The article the frame comes from (shared/seed/article.zh.txt): how pages cite it.

The key tasks and action lines keep their passages of it (`passage_zh`, quoted exactly, and
`passage_en`, an English rendering); a quoted passage is cited with the article's title and
the source line the file gives under it.
"""

ARTICLE_TITLE_ZH = "构建网络空间命运共同体发展新阶段“新”在哪"
ARTICLE_TITLE_EN = "What is new in the new stage of building a community with a shared future in cyberspace"
# The file's second line, as it stands.
ARTICLE_SOURCE = "来源: 人民论坛网 (People's Tribune), 2024-05-16"
