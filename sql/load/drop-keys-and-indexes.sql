-- Drops every key, index and constraint of dms.Document, dms.Alias and dms.Reference and of their
-- partitions (also those a previous, interrupted load left on single partitions), so that load
-- copies into bare tables and builds them afterwards. Foreign keys go first: they depend on the
-- referenced keys. No parameters.
DO $$
DECLARE
  item RECORD;
BEGIN
  FOR item IN
    SELECT c.conrelid::regclass AS owner, c.conname
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    WHERE t.relnamespace = 'dms'::regnamespace
      AND t.relname ~ '^(document|alias|reference)(_[0-9]+)?$'
      AND c.contype IN ('f', 'p', 'u')
      AND c.conparentid = 0
    ORDER BY c.contype = 'f' DESC, t.relkind = 'p' DESC
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', item.owner, item.conname);
  END LOOP;
  FOR item IN
    SELECT i.indexrelid::regclass AS index_name
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    WHERE t.relnamespace = 'dms'::regnamespace
      AND t.relname ~ '^(document|alias|reference)(_[0-9]+)?$'
      AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY t.relkind = 'p' DESC
  LOOP
    EXECUTE format('DROP INDEX IF EXISTS %s', item.index_name);
  END LOOP;
END
$$
