-- dms.perf_dataset_manifest: its presence marks a database made by refswarm setup. One row:
-- what setup created (partition count, layout, DMS's data-out indexes or not), its identity (setup_id,
-- new at every setup) and, once a load has completed, the dataset it loaded.
-- A load clears the dataset columns first and fills them last, so a row with loaded_at NULL
-- means "nothing (completely) loaded". No parameters.
CREATE TABLE dms.perf_dataset_manifest (
  singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  partitions INTEGER NOT NULL,
  set_up_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  refswarm_version TEXT NOT NULL,
  schema_layout TEXT NOT NULL DEFAULT 'referential-id' CHECK (schema_layout IN ('referential-id', 'alias-id')),
  dms_indexes BOOLEAN NOT NULL DEFAULT false,
  setup_id UUID NOT NULL DEFAULT gen_random_uuid(),
  documents INTEGER,
  reference_rows BIGINT,
  avg_refs_per_doc INTEGER,
  checksum TEXT,
  merge_constraint BOOLEAN,
  duplicate_pairs BIGINT,
  distinct_pairs BOOLEAN,
  loaded_at TIMESTAMPTZ,
  CHECK ((loaded_at IS NULL) = (documents IS NULL)
     AND (loaded_at IS NULL) = (reference_rows IS NULL)
     AND (loaded_at IS NULL) = (avg_refs_per_doc IS NULL)
     AND (loaded_at IS NULL) = (checksum IS NULL)
     AND (loaded_at IS NULL) = (merge_constraint IS NULL)
     AND (loaded_at IS NULL) = (duplicate_pairs IS NULL)
     AND (loaded_at IS NULL) = (distinct_pairs IS NULL))
)
