DROP TABLE security_policy;
