DROP TABLE upgrade_steps;
