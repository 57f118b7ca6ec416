-- Secondary indexes an experienced DBA would add for the tracker workload (scripts/*.sql),
-- an issue tracker whose SQL is written by an ORM: every read of issues, comments and
-- memberships carries `"deleted_at" IS NULL` (soft deletes), and the issue lists filter
-- `NOT ("state" = 'closed')`, which the planner turns into `state <> 'closed'`. Both are
-- literals in the query text, so partial indexes on them serve custom and generic plans
-- alike; ~83% of issues are closed, so the partial indexes on open issues are small.
-- Each comment names the statements the index serves. Deliberately none for:
-- paid_organizations (49 of 120 organisations in two pages: a sequential scan and a sort
-- beat any index), active_users_report (its 30-day window keeps ~75% of the users, spread
-- over the whole table: a sequential scan is the best plan), the projects table
-- (user_projects reads it by primary key after the membership lookup; stale_issues filters
-- its 1,500 rows, 17 pages, on organization_id), labels (read by primary key only), and the
-- foreign keys no statement filters on (issue_labels.label_id, issues.author_id,
-- issue_events.actor_id, users.organization_id): an index there would only slow the writes
-- down.
-- Writes: add_comment pays for two comments indexes and two issue_events indexes on every
-- insert, and its `updated_at` update cannot be HOT (issues_open_assignee_updated contains
-- updated_at); change_state moves an issue in or out of the two open-issue partial indexes.
--
-- Measured: PostgreSQL 15.18, shared_buffers = 256MB, fsync = off, 2 cores shared with an
-- unrelated heavy build (load average 5-8), fresh load each round, `run.sh tracker -c 4 -j 2
-- -T 15`, 0 failed transactions: no secondary index 70 / 79 tps (my_open_issues ~260 ms, the
-- other issue/comment/event statements ~50 ms: sequential scans), these 11 indexes (62 MB)
-- 8,548 / 6,680 tps (every statement under 1.5 ms except the active_users_report trap,
-- ~5 ms, which then takes the largest share of the time). Each index was checked with
-- auto_explain during a run (custom and generic plans) to be used by every statement its
-- comment names; with HypoPG, indexes on organizations (plan), (plan, name), (name) and on
-- users (last_login), (organization_id), (organization_id, last_login) are not chosen for
-- the two traps, with random_page_cost 4 or 1.1 (a covering partial index
-- users (organization_id, last_login, id) would be, at 1.1 only).

-- issue_list (equality, then the keyset row comparison as an index condition; the few open
-- issues before the cursor are sorted, or the index is read backwards for the ORDER BY
-- created_at DESC, id DESC), issues_with_label (the project's open issues, EXISTS probed
-- per issue), open_issue_count and project_open_counts (= ANY over project ids; index-only
-- counts), stale_issues (nested loop from the organisation's projects, updated_at checked
-- on the heap).
CREATE INDEX issues_open_project_created ON tracker.issues (project_id, created_at, id) WHERE deleted_at IS NULL AND state <> 'closed';

-- issue_detail: an issue is addressed by project and number (open or closed).
CREATE INDEX issues_project_number ON tracker.issues (project_id, number);

-- my_open_issues: equality on the assignee, then the ORDER BY updated_at DESC read backwards.
CREATE INDEX issues_open_assignee_updated ON tracker.issues (assignee_id, updated_at) WHERE deleted_at IS NULL AND state <> 'closed';

-- issue_comments (equality, then the ORDER BY) and the comment-count scalar subquery of
-- my_open_issues (keyed by the outer issue id).
CREATE INDEX comments_issue_created ON tracker.comments (issue_id, created_at) WHERE deleted_at IS NULL;

-- user_recent_comments: equality on the author, then the 30-day window and ORDER BY.
CREATE INDEX comments_author_created ON tracker.comments (author_id, created_at) WHERE deleted_at IS NULL;

-- issue_labels_prefetch (issue_id = ANY(array)) and issues_with_label (the EXISTS subquery's
-- issue_id = outer id AND label_id = $n, index-only).
CREATE INDEX issue_labels_issue_label ON tracker.issue_labels (issue_id, label_id);

-- membership_check (both equalities) and project_members_list (the project's members).
CREATE INDEX project_members_project_user ON tracker.project_members (project_id, user_id) WHERE deleted_at IS NULL;

-- user_projects: the IN subquery's user_id = $1.
CREATE INDEX project_members_user ON tracker.project_members (user_id) WHERE deleted_at IS NULL;

-- user_by_email: the expression must match the ORM's UPPER("email"::text).
CREATE INDEX users_upper_email ON tracker.users (upper(email::text));

-- project_activity: equality on the project, then the now() - interval '7 days' window and
-- the ORDER BY created_at DESC.
CREATE INDEX issue_events_project_created ON tracker.issue_events (project_id, created_at);

-- issue_timeline: equality, then the ORDER BY.
CREATE INDEX issue_events_issue_created ON tracker.issue_events (issue_id, created_at);
