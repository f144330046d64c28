-- PostgreSQL twin of ../0017_course_english_text.sql (the same SQL).
-- A course's English title and description, shown to learners reading the LMS in English
-- (issue 17); NULL means the course has none and the Chinese text is shown.
ALTER TABLE courses ADD COLUMN title_en text;
ALTER TABLE courses ADD COLUMN description_en text;
