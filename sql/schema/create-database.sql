-- Creates the database setup fills. {{database}}: the database name (lowercase letters, digits, _).
CREATE DATABASE {{database}}
