-- The manifest's commit waits for the WAL flush (load's connections otherwise commit asynchronously).
-- No parameters; inside the manifest's transaction.
SET LOCAL synchronous_commit = on
