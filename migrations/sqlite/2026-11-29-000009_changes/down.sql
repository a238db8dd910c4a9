DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE event_marks;
DROP TABLE event_horizon;
DROP TABLE events;
