-- Up Migration

-- Dashboard sign-ins: the admin key is exchanged once for a session whose id lives only in an
-- HttpOnly cookie; the table keeps its hash. A session of a minted key ends with that key
-- (api_key_id, checked on each request); the bootstrap ADMIN_API_KEY's sessions have none.
CREATE TABLE admin_sessions (
  id_hash     text PRIMARY KEY,
  api_key_id  text REFERENCES api_keys (id) ON DELETE CASCADE,
  key_name    text NOT NULL,
  scope       text NOT NULL CHECK (scope IN ('read', 'admin')),
  -- Sent back by the dashboard in X-CSRF-Token on every write made with the cookie.
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);

-- Down Migration
DROP TABLE admin_sessions;
