-- Failed sign-ins count only within the lockout window: five typos spread over months lock nobody.
ALTER TABLE users ADD COLUMN last_failed_login_at timestamptz;
