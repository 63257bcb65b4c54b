-- What blocked sessions wait for: their ungranted lock (type, mode, relation) and, for a
-- transactionid wait, the relation of the tuple lock they already hold (the row they wait to lock).
-- pg_locks is read once (it briefly takes every lock-manager partition lock).
-- Parameters: $1 int[] = pids of blocked sessions. One row per waiting lock.
WITH locks AS MATERIALIZED (
  SELECT pid, locktype, mode, relation, granted FROM pg_locks WHERE pid = ANY ($1)
)
SELECT w.pid,
       w.locktype AS lock_type,
       w.mode AS lock_mode,
       coalesce(w.relation, (
         SELECT h.relation FROM locks h
         WHERE h.pid = w.pid AND h.granted AND h.locktype = 'tuple'
         LIMIT 1
       ))::regclass::text AS relation
FROM locks w
WHERE NOT w.granted
