-- For the rest of the transaction, row triggers do not fire: Reference's foreign-key triggers cost
-- one look-up per inserted row and foreign key, while restore/lock-referenced-rows has checked and
-- locked the same rows set-wise. Needs a superuser (restore/can-skip-row-triggers). No parameters.
SET LOCAL session_replication_role = replica
