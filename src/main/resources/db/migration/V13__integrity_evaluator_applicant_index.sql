-- The many-applicants signal asks first whether an evaluator already rated a case of this applicant
-- within the window (IntegritySignals.countsTowardsManyApplicants): one index seek, instead of reading
-- all of the evaluator's ratings of the window to count the different applicants again.
create index integrity_ratings_pair on integrity_ratings (evaluator_index, applicant_index, rated_at);
