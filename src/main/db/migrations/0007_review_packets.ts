/**
 * 0007 — review packets and reviewer identity.
 *
 * - `ratings.os_user`: the operating-system user who entered the rating (NULL for ratings made
 *   before this migration); `ratings.source`: where it was entered — the app's rating screen
 *   ('app'), a CSV file (`review import`, 'csv') or a review packet rated on another workstation
 *   ('packet').
 * - `review_sets.show_gold`: whether reviewers see the gold (reference) answer next to the output.
 * - Coordinator side: `review_packets_out` (a packet exported from this database: its hash, the set
 *   and reviewer, and per position the run item and the item hash) and `review_packet_imports`
 *   (ratings files imported for it).
 * - Clinician side: `review_packets_in` / `review_packet_items` (a packet opened here for rating,
 *   blinded items only) and `review_packet_ratings` (ratings made here, exported as a ratings file).
 * - `review_last_reviewer`: the reviewer last chosen on this machine (one row), so choosing another
 *   one asks for confirmation.
 */
export const sql = /* sql */ `
ALTER TABLE ratings ADD COLUMN os_user TEXT;
ALTER TABLE ratings ADD COLUMN source TEXT NOT NULL DEFAULT 'app' CHECK (source IN ('app','csv','packet'));
ALTER TABLE review_sets ADD COLUMN show_gold INTEGER NOT NULL DEFAULT 0 CHECK (show_gold IN (0, 1));

CREATE TABLE review_packets_out (
  hash        TEXT PRIMARY KEY,                  -- sha256 of the packet's canonical JSON
  set_id      INTEGER NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  items_json  TEXT NOT NULL,                     -- [[run item id, item hash], …] by position
  patient_text INTEGER NOT NULL CHECK (patient_text IN (0, 1)),
  os_user     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX review_packets_out_set ON review_packets_out(set_id);

CREATE TABLE review_packet_imports (
  ratings_hash TEXT PRIMARY KEY,                 -- sha256 of the ratings file's canonical JSON
  packet_hash  TEXT NOT NULL REFERENCES review_packets_out(hash) ON DELETE CASCADE,
  items        INTEGER NOT NULL CHECK (items >= 0),
  os_user      TEXT NOT NULL,
  imported_at  TEXT NOT NULL
);

CREATE TABLE review_packets_in (
  id          INTEGER PRIMARY KEY,
  hash        TEXT NOT NULL UNIQUE,
  header_json TEXT NOT NULL,                     -- the packet without its items (validated)
  position    INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
  opened_at   TEXT NOT NULL
);

CREATE TABLE review_packet_items (
  packet_id INTEGER NOT NULL REFERENCES review_packets_in(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL CHECK (position >= 0),
  item_hash TEXT NOT NULL,
  input     TEXT NOT NULL,
  output    TEXT NOT NULL,
  gold      TEXT,
  PRIMARY KEY (packet_id, position)
);

CREATE TABLE review_packet_ratings (
  packet_id INTEGER NOT NULL REFERENCES review_packets_in(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  criterion TEXT NOT NULL,
  score     INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment   TEXT NOT NULL DEFAULT '',
  os_user   TEXT NOT NULL,
  rated_at  TEXT NOT NULL,
  PRIMARY KEY (packet_id, position, criterion),
  FOREIGN KEY (packet_id, position) REFERENCES review_packet_items(packet_id, position) ON DELETE CASCADE
);

CREATE TABLE review_last_reviewer (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  os_user     TEXT NOT NULL,
  chosen_at   TEXT NOT NULL
);
`
