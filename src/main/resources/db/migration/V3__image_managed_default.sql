-- Images banger may rebuild and heal (promoted ones), and the one default image that
-- `vm create` uses when no image is named. At most one row has is_default = 1.
ALTER TABLE images ADD COLUMN managed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE images ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX images_one_default ON images (is_default) WHERE is_default = 1;
