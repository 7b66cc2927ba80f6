-- One database per context that owns PostgreSQL data (runs once, on an empty volume).
CREATE DATABASE cmh_users;
CREATE DATABASE cmh_courses;
CREATE DATABASE cmh_labs;
CREATE DATABASE cmh_assessments;
CREATE DATABASE cmh_payments;
CREATE DATABASE cmh_notifications;
CREATE DATABASE cmh_analytics;
