-- Reference validation: every referential id must have an Alias (DMS: FK_Reference_ReferencedAlias).
-- The current strategy recognises a violation of this constraint by its name.
-- {{table}}: dms.Reference or dms.reference_NN; {{constraint}}: "CONSTRAINT name", or empty on a partition to let PostgreSQL name it; {{not_valid}}: empty or NOT VALID.
ALTER TABLE {{table}} ADD {{constraint}} FOREIGN KEY (ReferentialPartitionKey, ReferentialId)
  REFERENCES dms.Alias (ReferentialPartitionKey, ReferentialId) ON DELETE RESTRICT ON UPDATE CASCADE {{not_valid}}
