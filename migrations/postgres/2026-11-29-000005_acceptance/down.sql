DROP TABLE spot_findings;
DROP TABLE spot_draws;
DROP TABLE acceptances;
