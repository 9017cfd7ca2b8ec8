-- Consent is kept with what the customer agreed to, in the words they read (the form's
-- sentence, or where it came from: 'consent given through api'); its time is the response's.
-- A withdrawal is kept too: the contact address and customer reference, stored only with
-- consent, go at that moment.
ALTER TABLE responses ADD COLUMN consent TEXT;
ALTER TABLE responses ADD COLUMN consent_withdrawn_at INTEGER;
UPDATE responses SET consent = 'consent given (before consents were recorded)'
    WHERE contact_email IS NOT NULL OR customer_ref IS NOT NULL;
