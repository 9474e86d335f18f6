-- Creates (or updates) the role the Havre application connects as, with a password.
-- Run by the db-init service in compose.yaml as the database owner:
--   psql -v ON_ERROR_STOP=1 -v app_password="$HAVRE_APP_PASSWORD" -f init-app-role.sql
-- Safe to run again: it only sets the attributes and the password. The first migration
-- creates the same role without a password when it does not exist yet; either order works.
-- The role owns nothing and cannot bypass row-level security; the migrations grant it
-- access to the tables.

\set ON_ERROR_STOP on

SELECT 'CREATE ROLE havre_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'havre_app')
\gexec

ALTER ROLE havre_app WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
    PASSWORD :'app_password';
