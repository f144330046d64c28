-- PostgreSQL twin of ../0019_course_codes.sql. The backfill reads the manifest with PostgreSQL's
-- JSON operator (->> gives the identifier as text, NULL when absent or JSON null, as json_extract does
-- for the string identifiers manifests hold).
-- Course codes and titles a trainer can change (issue 17). A changed code stays reachable through
-- course_code_aliases (old links, e-mails and integrations keep working); a re-upload without a
-- code finds its course by the package's manifest identifier. (The English title, title_en, came in 0017.)
ALTER TABLE courses ADD COLUMN package_identifier text;
CREATE INDEX courses_package_identifier ON courses (package_identifier);

CREATE TABLE course_code_aliases (
  code       text PRIMARY KEY,
  course_id  integer NOT NULL REFERENCES courses(id),
  created_at text NOT NULL
);
CREATE INDEX course_code_aliases_course ON course_code_aliases (course_id);

-- Courses uploaded before this: the identifier of their latest version's manifest.
UPDATE courses SET package_identifier = (
  SELECT v.manifest_json::json ->> 'identifier' FROM course_versions v
  WHERE v.course_id = courses.id ORDER BY v.number DESC LIMIT 1
);
