"""Where each key task and action line comes from in the article (shared/seed/article.zh.txt).

For a key task, the core sentences of the paragraph its heading opens; for an action line,
the sentence (or the clause of the enumerating sentence) that names it. The Chinese is quoted
exactly as the article has it, ASCII punctuation included; the English is a rendering of it.
"""

from django.db import migrations, models

KEY_TASK_PASSAGES = {
    "multilateral-mechanisms": (
        "网络空间的全球治理,涉及到网络空间的安全、发展、人权、规则等多个方面,需要各国在相互尊重的基础上"
        "共商共治。积极支持联合国在网络空间全球治理中发挥主导作用,推动网络空间的全球治理体系更加公正合理、"
        "开放包容。",
        "The global governance of cyberspace touches on its security, development, human rights, rules "
        "and many other aspects, and calls for all countries to consult and govern together on the basis "
        "of mutual respect. Actively support the United Nations in playing the leading role in the global "
        "governance of cyberspace, and make the global governance system of cyberspace fairer and more "
        "reasonable, more open and more inclusive.",
    ),
    "global-south": (
        "积极参与和支持“全球南方”在网络空间命运共同体建设中发挥基石作用,推动网络空间命运共同体建设更加包容"
        "平衡、更加务实有效、更加合作共赢。加强网络空间的南南合作,建立网络空间南南合作的新模式,为网络空间"
        "命运共同体建设提供更多的动力和支持。",
        "Actively take part in and support the “Global South” in playing its cornerstone role in building "
        "a community with a shared future in cyberspace, so that this building becomes more inclusive and "
        "balanced, more practical and effective, and more cooperative and mutually beneficial. Strengthen "
        "South-South cooperation in cyberspace and set up a new model for it, giving the building of a "
        "community with a shared future in cyberspace more momentum and support.",
    ),
    "major-power-cooperation": (
        "更为重要的是,网络空间大国之间需要加强网络空间的双边合作,建立双边合作的新范式,为网络空间的双边合作"
        "提供更多的动力和机遇。如此才能推动各国在网络空间合作中的了解和信任,也可以增进各国在网络空间的双边"
        "合作中的利益和价值。",
        "More importantly, the major cyber powers need to strengthen bilateral cooperation in cyberspace "
        "among themselves and set up a new paradigm of bilateral cooperation, giving bilateral cooperation "
        "in cyberspace more momentum and opportunities. Only so can countries advance their understanding "
        "and trust in cyberspace cooperation, and increase the interests and value they gain from "
        "bilateral cooperation in cyberspace.",
    ),
    "multi-stakeholder": (
        "网络空间的多元合作,是尊重各国多样性和主体多元性的基本要求,也是提升网络空间全球治理协调性和协同性的"
        "必由之路。网络空间的多元合作,可以充分体现各国在网络空间的不同角色,也可以充分发挥不同主体在网络空间的"
        "不同能力。加强网络空间的多元合作,建立全球网络空间治理的新格局,如网络空间的多元合作平台、多元合作网络,"
        "以及多元合作项目等,为网络空间的繁荣发展提供更多的空间和资源。",
        "Multi-party cooperation in cyberspace is a basic requirement of respect for the diversity of "
        "countries and the plurality of actors, and the necessary path to better coordination and synergy "
        "in the global governance of cyberspace. Multi-party cooperation in cyberspace can fully reflect "
        "the different roles of countries in cyberspace, and fully bring out the different capabilities of "
        "different actors there. Strengthen multi-party cooperation in cyberspace and build a new pattern "
        "of global cyberspace governance, such as multi-party cooperation platforms, multi-party "
        "cooperation networks and multi-party cooperation projects, to give the thriving development of "
        "cyberspace more room and resources.",
    ),
}

ACTION_LINE_PASSAGES = {
    "un-gge-oewg-law-and-norms": (
        "首先,各国需要积极参与联合国信息安全政府专家组(UNGGE)和开放式工作组(OEWG)的工作,推动制定和落实"
        "网络空间的国际法和国际规范,维护网络空间的和平与稳定",
        "First, all countries need to take an active part in the work of the UN Group of Governmental "
        "Experts on information security (UNGGE) and the Open-ended Working Group (OEWG), to advance the "
        "making and implementation of international law and international norms for cyberspace and to "
        "maintain peace and stability in cyberspace.",
    ),
    "unesco-itu-access-digital-divide": (
        "其次,各国需要支持联合国教科文组织(UNESCO)和国际电信联盟(ITU)等机构在网络空间的发展和人权方面的工作,"
        "推动实现网络空间的普遍接入和数字鸿沟的缩小,保障网络空间的自由与开放",
        "Second, all countries need to support the work of UNESCO, the International Telecommunication "
        "Union (ITU) and other bodies on development and human rights in cyberspace, to achieve universal "
        "access to cyberspace and narrow the digital divide, and to safeguard the freedom and openness of "
        "cyberspace.",
    ),
    "regional-thematic-cooperation": (
        "再次,各国要以区域或主题为基础,倡导在网络空间全球治理的具体领域进行合作,如网络空间的安全防御、"
        "网络空间的应急响应、网络空间的数据流动、网络空间的数字经济等,提高网络空间全球治理的效能",
        "Third, on a regional or thematic basis, all countries should promote cooperation in specific "
        "fields of the global governance of cyberspace, such as security defence, emergency response, "
        "data flows and the digital economy in cyberspace, to make the global governance of cyberspace "
        "more effective.",
    ),
    "rules-standards-negotiation": (
        "最后,各国要以平等和尊重为原则,以对话和协商为手段,以互利和共赢为目标,就网络空间的全球治理的规则和"
        "标准进行协商,如网络空间的主权和管辖、网络空间的责任和义务、网络空间的互信和互助等,增强网络空间的"
        "全球治理的公平和正义。",
        "Finally, with equality and respect as the principle, dialogue and consultation as the means, and "
        "mutual benefit and win-win results as the goal, all countries should negotiate the rules and "
        "standards of the global governance of cyberspace, such as sovereignty and jurisdiction, "
        "responsibilities and obligations, and mutual trust and mutual assistance in cyberspace, to make "
        "the global governance of cyberspace fairer and more just.",
    ),
    "new-multilateral-platforms": (
        "加强网络空间的多边合作,建立网络空间多边合作的新平台,如网络空间的全球治理论坛、网络空间的全球治理合作"
        "组织、网络空间的全球治理规则协商机制等,为网络空间的全球治理提供更多的渠道和解决方案。",
        "Strengthen multilateral cooperation in cyberspace and build new platforms for it, such as a "
        "global governance forum for cyberspace, a global governance cooperation organisation for "
        "cyberspace and a mechanism for negotiating the rules of the global governance of cyberspace, to "
        "give the global governance of cyberspace more channels and solutions.",
    ),
    "un-digital-cooperation": (
        "第一,南方国家需要积极参与联合国秘书长数字合作高级别小组和联合国发展协调办公室(UNDCO)的工作,推动"
        "制定和落实网络空间的发展战略和发展规划,促进网络空间的普惠发展",
        "First, the countries of the South need to take an active part in the work of the UN "
        "Secretary-General's High-level Panel on Digital Cooperation and the UN Development Coordination "
        "Office (UNDCO), to advance the making and implementation of development strategies and plans for "
        "cyberspace and to promote inclusive development in cyberspace.",
    ),
    "poverty-reduction-education": (
        "第二,南方国家需要支持联合国开发计划署(UNDP)和世界银行(WB)等机构在网络空间的扶贫和教育方面的工作,"
        "推动实现网络空间的减贫和教育目标,提升网络空间的发展质量",
        "Second, the countries of the South need to support the work of the UN Development Programme "
        "(UNDP), the World Bank (WB) and other bodies on poverty alleviation and education in cyberspace, "
        "to reach the goals of poverty reduction and education in cyberspace and to raise the quality of "
        "its development.",
    ),
    "south-south-initiatives-summits": (
        "第三,南方国家可以建立网络空间的南南合作倡议,定期举办南南峰会,邀请各国政府、国际组织、民间社会、"
        "企业界、学术界等各方代表参与,就网络空间的南南合作的重大问题进行广泛的对话和交流,形成网络空间南南"
        "合作的愿景和行动计划",
        "Third, the countries of the South can set up South-South cooperation initiatives for cyberspace "
        "and hold South-South summits regularly, inviting representatives of governments, international "
        "organisations, civil society, business, academia and others to hold broad dialogue and exchanges "
        "on the major questions of South-South cooperation in cyberspace, and to shape a vision and a plan "
        "of action for South-South cooperation in cyberspace.",
    ),
    "south-south-projects": (
        "第四,各国可以建立网络空间的南南合作项目,以需求和效益为导向,以项目和成果为载体,以合作和共赢为目的,"
        "就网络空间的南南合作的项目和成果进行评估和分享,如网络空间的智慧城市、网络空间的数字农业、网络空间的"
        "电子商务等,增强网络空间的南南合作的影响和价值。",
        "Fourth, countries can set up South-South cooperation projects in cyberspace, guided by needs and "
        "benefits, carried by projects and results and aimed at cooperation and win-win outcomes, and "
        "evaluate and share the projects and results of South-South cooperation in cyberspace, such as "
        "smart cities, digital agriculture and e-commerce, to increase the impact and value of South-South "
        "cooperation in cyberspace.",
    ),
    "bilateral-frameworks": (
        "首先,大国之间建立和完善双边合作框架,如网络空间的双边合作委员会、网络空间的双边合作对话机制、网络空间"
        "的双边合作协调机制等,为网络空间的双边合作提供稳定和持续的组织和平台",
        "First, the major powers establish and improve frameworks of bilateral cooperation, such as "
        "bilateral cooperation committees, bilateral cooperation dialogue mechanisms and bilateral "
        "cooperation coordination mechanisms for cyberspace, giving bilateral cooperation in cyberspace a "
        "stable and lasting organisation and platform.",
    ),
    "confidence-building-measures": (
        "其次,大国之间可以形成网络空间的信任建立措施,包括网络空间的安全、发展、人权等方面,为网络空间的大国"
        "合作提供明确和具体的目标和内容,增强对网络空间的双边合作的示范效应",
        "Second, the major powers can develop confidence-building measures for cyberspace, covering "
        "security, development, human rights and other aspects of cyberspace, giving major-power "
        "cooperation in cyberspace clear and concrete goals and content, and strengthening the example "
        "that bilateral cooperation in cyberspace sets.",
    ),
    "bilateral-plans": (
        "最后,大国之间可以制定和实施网络空间的双边合作计划,如网络空间的双边技术交流计划、网络空间的双边人才"
        "培养计划、网络空间的双边项目合作计划等,为网络空间的双边合作提供多样和丰富的形式和方式,增强网络空间"
        "的双边合作的效率和效果。",
        "Finally, the major powers can draw up and carry out bilateral cooperation plans for cyberspace, "
        "such as bilateral technical exchange plans, bilateral talent training plans and bilateral project "
        "cooperation plans, giving bilateral cooperation in cyberspace diverse and rich forms and ways, "
        "and making it more efficient and effective.",
    ),
    "multi-stakeholder-networks": (
        "一方面,各方积极建立并参与网络空间的多元合作网络,如网络空间的多元合作联盟、网络空间的多元合作协会、"
        "网络空间的多元合作社区等,为网络空间的多元合作提供紧密和活跃的联系和互动,增强网络空间的多元合作的"
        "联系和活力",
        "On the one hand, all parties actively build and join multi-party cooperation networks in "
        "cyberspace, such as multi-party cooperation alliances, associations and communities, giving "
        "multi-party cooperation in cyberspace close and lively ties and interaction, and strengthening "
        "its connections and vitality.",
    ),
    "multi-stakeholder-projects": (
        "另一方面,建立和推动网络空间的多元合作项目,如网络空间的多元合作研究项目、网络空间的多元合作服务项目、"
        "网络空间的多元合作创意项目等,为网络空间的多元合作提供有益和有趣的内容和领域,增强网络空间的多元合作"
        "的创新和发展。",
        "On the other hand, set up and promote multi-party cooperation projects in cyberspace, such as "
        "multi-party cooperation research projects, service projects and creative projects, giving "
        "multi-party cooperation in cyberspace useful and engaging content and fields, and strengthening "
        "its innovation and development.",
    ),
}


def fill(apps, schema_editor):
    KeyTask = apps.get_model("governance", "KeyTask")
    ActionLine = apps.get_model("governance", "ActionLine")
    for slug, (passage_zh, passage_en) in KEY_TASK_PASSAGES.items():
        KeyTask.objects.filter(slug=slug).update(passage_zh=passage_zh, passage_en=passage_en)
    for slug, (passage_zh, passage_en) in ACTION_LINE_PASSAGES.items():
        ActionLine.objects.filter(slug=slug).update(passage_zh=passage_zh, passage_en=passage_en)


class Migration(migrations.Migration):
    dependencies = [("governance", "0007_user_username_unique_ignoring_case")]

    operations = [
        migrations.AddField(
            model_name="keytask",
            name="passage_zh",
            field=models.TextField(blank=True, verbose_name="article passage (Chinese)"),
        ),
        migrations.AddField(
            model_name="keytask",
            name="passage_en",
            field=models.TextField(blank=True, verbose_name="article passage (English rendering)"),
        ),
        migrations.AddField(
            model_name="actionline",
            name="passage_zh",
            field=models.TextField(blank=True, verbose_name="article passage (Chinese)"),
        ),
        migrations.AddField(
            model_name="actionline",
            name="passage_en",
            field=models.TextField(blank=True, verbose_name="article passage (English rendering)"),
        ),
        # Removing the fields on the way back takes the passages with them.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
