-- The published initiatives as the API's list shows them, one row per record, newest
-- change first. The floor view (bench/floor_urls.py) turns 50 of these rows into JSON
-- inside PostgreSQL; PostgREST serves the same rows as the view bench_api.initiatives.
SELECT
    i.id,
    i.slug,
    '/initiatives/' || i.slug || '/' AS url,
    i.title,
    i.summary,
    i.body,
    i.language,
    k.slug AS key_task,
    a.slug AS action_line,
    i.kind,
    i.status,
    i.start_date,
    i.end_date,
    r.snapshot -> 'countries' AS countries,
    r.snapshot -> 'participations' AS stakeholders,
    r.snapshot -> 'advocacies' AS advocacies,
    r.snapshot -> 'tags' AS tags,
    r.snapshot -> 'links' AS links,
    r.snapshot -> 'collaborators' AS collaborators,
    u.username AS owner,
    i.moderation_state,
    i.version,
    i.created_at,
    i.updated_at,
    i.submitted_at,
    i.published_at,
    m.slug AS merged_into,
    '[]'::jsonb AS allowed_actions
FROM initiatives_initiative i
JOIN governance_keytask k ON k.id = i.key_task_id
LEFT JOIN governance_actionline a ON a.id = i.action_line_id
JOIN governance_user u ON u.id = i.owner_id
LEFT JOIN initiatives_revision r ON r.initiative_id = i.id AND r.version = i.version
LEFT JOIN initiatives_initiative m ON m.id = i.merged_into_id
WHERE i.moderation_state = 'published'
