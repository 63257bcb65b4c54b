-- --schema alias-id: reference validation against Alias's primary key (DMS-867:
-- FK_Reference_ReferencedAlias on (ReferentialPartitionKey, AliasId)).
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it; {{not_valid}}: empty or NOT VALID.
ALTER TABLE {{table}} ADD {{constraint}} FOREIGN KEY (ReferentialPartitionKey, AliasId)
  REFERENCES dms.Alias (ReferentialPartitionKey, Id) ON DELETE RESTRICT ON UPDATE CASCADE {{not_valid}}
