-- Empties one partition inside the COPY's transaction, which makes COPY ... FREEZE valid.
-- {{partition}}: dms.reference_03 etc.
TRUNCATE {{partition}}
