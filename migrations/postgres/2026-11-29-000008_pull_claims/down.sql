DROP TABLE pull_claims;
