-- Access levels (REQUIREMENTS A3, Lào Cai Art. 21.3): view < use < update < share, each including the ones before.
-- requested_access_level is what the application asked for; access_level what was granted (routing enforces it):
-- the approver may grant less, never more than asked; afterwards the provider side may change it (Art. 21.5.c: review)
-- and the consumer side may only lower it.
-- Subscriptions from before levels existed could call every operation of their version: they keep that as 'update',
-- the highest level that is about calling the provider (operations need 'share' only where a provider's rule says so);
-- the right to share data onward was never granted, so it is not granted now.
ALTER TABLE subscription ADD COLUMN access_level VARCHAR(8) NOT NULL DEFAULT 'update';
ALTER TABLE subscription ADD COLUMN requested_access_level VARCHAR(8) NOT NULL DEFAULT 'update';
ALTER TABLE subscription ALTER COLUMN access_level DROP DEFAULT;
ALTER TABLE subscription ALTER COLUMN requested_access_level DROP DEFAULT;
ALTER TABLE subscription ADD CONSTRAINT subscription_access_level_ck
    CHECK (access_level IN ('view', 'use', 'update', 'share') AND requested_access_level IN ('view', 'use', 'update', 'share'));

-- Which operations of a version require which level: [{methods, path, level}], first match wins (libs AccessRules);
-- none named: GET/HEAD/OPTIONS view, POST use, anything else update.
ALTER TABLE service_version ADD COLUMN access_rules JSONB NOT NULL DEFAULT '[]';

-- Notifications of a level change say the level granted now.
ALTER TABLE notification ADD COLUMN access_level VARCHAR(8);
