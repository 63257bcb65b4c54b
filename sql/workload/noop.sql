-- noop scenario: the cheapest round trip, to calibrate the generator itself. No parameters.
SELECT 1
