-- Whether restore may skip row triggers (restore/skip-row-triggers): the role can set
-- session_replication_role (superusers only before PostgreSQL 15's GRANT SET), and Reference has no
-- trigger besides its foreign keys' internal ones, which restore/lock-referenced-rows replaces.
-- No parameters.
SELECT current_setting('is_superuser') = 'on'
   AND NOT EXISTS (
       SELECT 1
       FROM pg_trigger t
       WHERE NOT t.tgisinternal
         AND (t.tgrelid = 'dms.reference'::regclass
              OR t.tgrelid IN (SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = 'dms.reference'::regclass))
   ) AS can_skip
