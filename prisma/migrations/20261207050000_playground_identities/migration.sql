-- Every member gets a playground (`web`) identity: their person key, made from their first
-- messenger id as the teams file gives it (the Slack one, else the Lark one). Team sync keeps it
-- from now on; this gives one to the members of an existing database before their next sync.
INSERT INTO member_identity (team_id, messenger, tenant, external_id, member_id)
SELECT DISTINCT ON (m.id) m.team_id, 'web', '', i.messenger || '-' || i.external_id, m.id
  FROM member m
  JOIN member_identity i ON i.member_id = m.id AND i.messenger IN ('slack', 'lark')
 ORDER BY m.id, i.messenger DESC
ON CONFLICT DO NOTHING;
