-- Feedback a staff member entered on a customer's behalf (phone, counter) records who did.
ALTER TABLE responses ADD COLUMN entered_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
