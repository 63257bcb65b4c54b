-- dms.Document as the DMS deploy scripts define it (docs/architecture.md#schema), partitioned by DocumentPartitionKey.
-- {{method}}: HASH (--schema referential-id) or LIST (--schema alias-id, as DMS-867).
-- Partitions come from schema/document-partition or schema/list-partition; keys and indexes from sql/load/.
CREATE TABLE dms.Document (
  Id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1),
  DocumentPartitionKey SMALLINT NOT NULL,
  DocumentUuid UUID NOT NULL,
  ResourceName VARCHAR(256) NOT NULL,
  ResourceVersion VARCHAR(64) NOT NULL,
  IsDescriptor BOOLEAN NOT NULL,
  ProjectName VARCHAR(256) NOT NULL,
  EdfiDoc JSONB NOT NULL,
  SecurityElements JSONB NOT NULL,
  StudentSchoolAuthorizationEdOrgIds JSONB NULL,
  StudentEdOrgResponsibilityAuthorizationIds JSONB NULL,
  ContactStudentSchoolAuthorizationEdOrgIds JSONB NULL,
  StaffEducationOrganizationAuthorizationEdOrgIds JSONB NULL,
  CreatedAt TIMESTAMP NOT NULL DEFAULT now(),
  LastModifiedAt TIMESTAMP NOT NULL DEFAULT now(),
  LastModifiedTraceId VARCHAR(128) NOT NULL
) PARTITION BY {{method}} (DocumentPartitionKey)
