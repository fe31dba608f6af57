"""The permission matrix: every URL of the project, and what each kind of person gets.

One row per URL and method. Columns (see ``ACTORS``):

    anon  trainee  other_trainee  trainer  other_trainer  coordinator  assessor  other_assessor
    partner

The world's objects belong to the trainee, the trainer and the assessor, so ``other_*`` is the
same role asking for someone else's object. Cells: a status code, ``L`` (sent to log in), ``D``
(Wagtail's "no permission" bounce to the admin home) or ``R`` (any other redirect). A refused
POST must leave the database unchanged. A project URL without a row fails the test: add one
line for each new URL (and a line per method it accepts).
"""

import os

from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, transaction

from tests.base import PersonasTestCase
from tests.security.matrix import ACTORS, GET, POST, REFUSALS, classify  # noqa: F401
from tests.security.urlwalk import all_patterns
from tests.security.world import IsolatedFilesMixin, build_world, snapshot


def session_page(world):  # type: ignore[no-untyped-def]
    return world.finder.url + world.finder.reverse_subpage(
        "session_detail", args=[world.upcoming.pk]
    )


def session_calendar_page(world):  # type: ignore[no-untyped-def]
    return world.finder.url + world.finder.reverse_subpage(
        "session_calendar", args=[world.upcoming.pk]
    )


# fmt: off
ROWS = [
    #                                            anon trn otrn trnr otrr coord ass oass partner
    GET('notifications_outbox',                   "  L   L   L   L   L 200   L   L   L"),
    GET('notifications_outbox_retry',             "  L   L   L   L   L 405   L   L   L"),
    POST('notifications_outbox_retry',             "  L   L   L   L   L   R   L   L   L"),
    GET('audit_index',                            "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:framework-list',     "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:framework-import',   "  L   L   L   L   L 200   L   L   L"),
    POST('certification_admin:framework-import',   "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:framework-detail',         "  L   L   L   L   L 200   L   L   L", pk="framework"),
    POST('certification_admin:framework-new-version',    "  L   L   L   L   L   R   L   L   L", pk="framework"),
    GET('certification_admin:framework-activate',       "  L   L   L   L   L 200   L   L   L", pk="framework"),
    POST('certification_admin:framework-activate',       "  L   L   L   L   L   R   L   L   L", pk="framework"),
    GET('certification_admin:framework-export',         "  L   L   L   L   L 200   L   L   L", pk="framework", fmt="csv"),
    GET('certification_admin:certification-list', "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:rules-edit',               "  L   L   L   L   L 200   L   L   L", pk="certification"),
    POST('certification_admin:rules-edit',               "  L   L   L   L   L 200   L   L   L", pk="certification"),
    GET('certification_admin:issue',                    "  L   L   L   L   L 200   L   L   L", pk="certification"),
    POST('certification_admin:issue',                    "  L   L   L   L   L   R   L   L   L", pk="certification"),
    GET('certification_admin:ledger',             "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:ledger-record',            "  L   L   L   L   L 200   L   L   L", what="hours"),
    POST('certification_admin:ledger-record',            "  L   L   L   L   L 200   L   L   L", what="hours"),
    GET('certification_admin:ledger-withdraw',    "  L   L   L   L   L 200   L   L   L"),
    POST('certification_admin:ledger-withdraw',    "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:certificate-list',   "  L   L   L   L   L 200   L   L   L"),
    GET('certification_admin:certificate-detail',       "  L   L   L   L   L 200   L   L   L", pk="certificate"),
    POST('certification_admin:certificate-renew',        "  L   L   L   L   L   R   L   L   L", pk="certificate"),
    GET('certification_admin:certificate-status',       "  L   L   L   L   L 200   L   L   L", pk="certificate", action="suspend"),
    POST('certification_admin:certificate-status',       "  L   L   L   L   L 200   L   L   L", pk="certificate", action="suspend"),
    GET('verification_admin:api-key-list',        "  L   L   L   L   L 200   L   L   L"),
    GET('verification_admin:api-key-create',      "  L   L   L   L   L 200   L   L   L"),
    POST('verification_admin:api-key-create',      "  L   L   L   L   L 200   L   L   L"),
    GET('verification_admin:api-key-revoke',      "  L   L   L   L   L 200   L   L   L"),
    POST('verification_admin:api-key-revoke',      "  L   L   L   L   L   R   L   L   L"),
    GET('courses_sessions:index',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:index',                 "  L   L   L   L   L 405   L   L   L"),
    GET('courses_sessions:index_results',         "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:index_results',         "  L   L   L   L   L 405   L   L   L"),
    GET('courses_sessions:add',                   "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:add',                   "  L   L   L   L   L 200   L   L   L"),
    GET('courses_sessions:edit',                  "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:edit',                  "  L   L   L   L   L 200   L   L   L"),
    GET('courses_sessions:delete',                "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:delete',                "  L   L   L   L   L   R   L   L   L"),
    GET('courses_sessions:history',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:history',               "  L   L   L   L   L 405   L   L   L"),
    GET('courses_sessions:history_results',       "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:history_results',       "  L   L   L   L   L 405   L   L   L"),
    GET('courses_sessions:usage',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:usage',                 "  L   L   L   L   L 405   L   L   L"),
    GET('courses_sessions:duplicate',             "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:duplicate',             "  L   L   L   L   L 200   L   L   L"),
    GET('courses_sessions:publish',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:publish',               "  L   L   L   L   L 200   L   L   L"),
    GET('courses_sessions:cancel',                "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:cancel',                "  L   L   L   L   L 200   L   L   L"),
    GET('courses_sessions:complete',              "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:complete',              "  L   L   L   L   L   R   L   L   L"),
    GET('courses_sessions:reserve',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:reserve',               "  L   L   L   L   L 200   L   L   L"),
    GET('courses_sessions:offer',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:offer',                 "  L   L   L   L   L   R   L   L   L"),
    GET('courses_sessions:waiting_list',          "  L   L   L   L   L 200   L   L   L"),
    POST('courses_sessions:waiting_list',          "  L   L   L   L   L 200   L   L   L"),
    GET('courses_enrolments:index',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:index',               "  L   L   L   L   L 405   L   L   L"),
    GET('courses_enrolments:index_results',       "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:index_results',       "  L   L   L   L   L 405   L   L   L"),
    GET('courses_enrolments:history',             "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:history',             "  L   L   L   L   L 405   L   L   L"),
    GET('courses_enrolments:history_results',     "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:history_results',     "  L   L   L   L   L 405   L   L   L"),
    GET('courses_enrolments:usage',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:usage',               "  L   L   L   L   L 405   L   L   L"),
    GET('courses_enrolments:inspect',             "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:inspect',             "  L   L   L   L   L 405   L   L   L"),
    GET('courses_enrolments:add',                 "  L   L   L   L   L   R   L   L   L"),
    POST('courses_enrolments:add',                 "  L   L   L   L   L   R   L   L   L"),
    GET('courses_enrolments:edit',                "  L   L   L   L   L   R   L   L   L"),
    POST('courses_enrolments:edit',                "  L   L   L   L   L   R   L   L   L"),
    GET('courses_enrolments:delete',              "  L   L   L   L   L   R   L   L   L"),
    POST('courses_enrolments:delete',              "  L   L   L   L   L   R   L   L   L"),
    GET('courses_enrolments:approve',             "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:approve',             "  L   L   L   L   L 200   L   L   L"),
    GET('courses_enrolments:refuse',              "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:refuse',              "  L   L   L   L   L 200   L   L   L"),
    GET('courses_enrolments:cancel',              "  L   L   L   L   L 200   L   L   L"),
    POST('courses_enrolments:cancel',              "  L   L   L   L   L 200   L   L   L"),
    GET('courses_courses:index',                  "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:index',                  "  L   L   L   L   L 405   L   L   L"),
    GET('courses_courses:index_results',          "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:index_results',          "  L   L   L   L   L 405   L   L   L"),
    GET('courses_courses:add',                    "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:add',                    "  L   L   L   L   L 200   L   L   L"),
    GET('courses_courses:edit',                   "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:edit',                   "  L   L   L   L   L 200   L   L   L"),
    GET('courses_courses:delete',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:delete',                 "  L   L   L   L   L   R   L   L   L"),
    GET('courses_courses:history',                "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:history',                "  L   L   L   L   L 405   L   L   L"),
    GET('courses_courses:history_results',        "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:history_results',        "  L   L   L   L   L 405   L   L   L"),
    GET('courses_courses:usage',                  "  L   L   L   L   L 200   L   L   L"),
    POST('courses_courses:usage',                  "  L   L   L   L   L 405   L   L   L"),
    GET('courses_modules:index',                  "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:index',                  "  L   L   L   L   L 405   L   L   L"),
    GET('courses_modules:index_results',          "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:index_results',          "  L   L   L   L   L 405   L   L   L"),
    GET('courses_modules:add',                    "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:add',                    "  L   L   L   L   L 200   L   L   L"),
    GET('courses_modules:edit',                   "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:edit',                   "  L   L   L   L   L 200   L   L   L"),
    GET('courses_modules:delete',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:delete',                 "  L   L   L   L   L   R   L   L   L"),
    GET('courses_modules:history',                "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:history',                "  L   L   L   L   L 405   L   L   L"),
    GET('courses_modules:history_results',        "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:history_results',        "  L   L   L   L   L 405   L   L   L"),
    GET('courses_modules:usage',                  "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:usage',                  "  L   L   L   L   L 405   L   L   L"),
    GET('courses_modules:copy',                   "  L   L   L   L   L 200   L   L   L"),
    POST('courses_modules:copy',                   "  L   L   L   L   L 200   L   L   L"),
    GET('courses_venues:index',                   "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:index',                   "  L   L   L   L   L 405   L   L   L"),
    GET('courses_venues:index_results',           "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:index_results',           "  L   L   L   L   L 405   L   L   L"),
    GET('courses_venues:add',                     "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:add',                     "  L   L   L   L   L 200   L   L   L"),
    GET('courses_venues:edit',                    "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:edit',                    "  L   L   L   L   L 200   L   L   L"),
    GET('courses_venues:delete',                  "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:delete',                  "  L   L   L   L   L   R   L   L   L"),
    GET('courses_venues:history',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:history',                 "  L   L   L   L   L 405   L   L   L"),
    GET('courses_venues:history_results',         "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:history_results',         "  L   L   L   L   L 405   L   L   L"),
    GET('courses_venues:usage',                   "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:usage',                   "  L   L   L   L   L 405   L   L   L"),
    GET('courses_venues:copy',                    "  L   L   L   L   L 200   L   L   L"),
    POST('courses_venues:copy',                    "  L   L   L   L   L 200   L   L   L"),
    GET('courses_exemptions:index',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:index',               "  L   L   L   L   L 405   L   L   L"),
    GET('courses_exemptions:index_results',       "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:index_results',       "  L   L   L   L   L 405   L   L   L"),
    GET('courses_exemptions:add',                 "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:add',                 "  L   L   L   L   L 200   L   L   L"),
    GET('courses_exemptions:edit',                "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:edit',                "  L   L   L   L   L 200   L   L   L"),
    GET('courses_exemptions:delete',              "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:delete',              "  L   L   L   L   L   R   L   L   L"),
    GET('courses_exemptions:history',             "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:history',             "  L   L   L   L   L 405   L   L   L"),
    GET('courses_exemptions:history_results',     "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:history_results',     "  L   L   L   L   L 405   L   L   L"),
    GET('courses_exemptions:usage',               "  L   L   L   L   L 200   L   L   L"),
    POST('courses_exemptions:usage',               "  L   L   L   L   L 405   L   L   L"),
    GET('wagtailusers_users:index',               "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:index',               "  L   L   L   L   L 405   L   L   L"),
    GET('wagtailusers_users:index_results',       "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:index_results',       "  L   L   L   L   L 405   L   L   L"),
    GET('wagtailusers_users:add',                 "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:add',                 "  L   L   L   L   L 200   L   L   L"),
    GET('wagtailusers_users:edit',                "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:edit',                "  L   L   L   L   L 200   L   L   L"),
    GET('wagtailusers_users:delete',              "  L   L   L   L   L   D   L   L   L"),
    POST('wagtailusers_users:delete',              "  L   L   L   L   L   D   L   L   L"),
    GET('wagtailusers_users:history',             "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:history',             "  L   L   L   L   L 405   L   L   L"),
    GET('wagtailusers_users:history_results',     "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:history_results',     "  L   L   L   L   L 405   L   L   L"),
    GET('wagtailusers_users:usage',               "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:usage',               "  L   L   L   L   L 405   L   L   L"),
    GET('wagtailusers_users:copy',                "  L   L   L   L   L 200   L   L   L"),
    POST('wagtailusers_users:copy',                "  L   L   L   L   L 200   L   L   L"),
    POST('set_language',                           "  R   R   R   R   R   R   R   R   R"),
    GET('health',                                 "200 200 200 200 200 200 200 200 200"),
    GET('verification-form',                      "200 200 200 200 200 200 200 200 200"),
    GET('verification-page',                      "200 200 200 200 200 200 200 200 200"),
    GET('verification-openapi',                   "200 200 200 200 200 200 200 200 200"),
    POST('verification-api-batch',                 "401 401 401 401 401 401 401 401 401"),
    GET('verification-api-detail',                "200 200 200 200 200 200 200 200 200"),
    GET('verification-api-credential',            "200 200 200 200 200 200 200 200 200"),
    GET('verification-status-list',                     "200 200 200 200 200 200 200 200 200", number=1),
    GET('verification-jwks',                      "200 200 200 200 200 200 200 200 200"),
    GET('verification-did',                       "200 200 200 200 200 200 200 200 200"),
    GET('notifications:list',                     "  L 200 200 200 200 200 200 200 200"),
    POST('notifications:mark-read',                "  L   R 404 404 404 404 404 404 404"),
    POST('notifications:mark-unread',              "  L   R 404 404 404 404 404 404 404"),
    POST('notifications:mark-all-read',            "  L   R   R   R   R   R   R   R   R"),
    GET('notifications:preferences',              "  L 200 200 200 200 200 200 200 200"),
    POST('notifications:preferences',              "  L 200 200 200 200 200 200 200 200"),
    GET('accounts:dashboard',                     "  L 200 200 200 200 200 200 200 200"),
    GET('accounts:profile',                       "  L 200 200 200 200 200 200 200 200"),
    POST('accounts:profile',                       "  L 200 200 200 200 200 200 200 200"),
    GET('certification:my-certificates',          "  L 200 200 200 200 200 200 200 200"),
    GET('certification:printed-name',             "  L 200 200 200 200 200 200 200 200"),
    POST('certification:printed-name',             "  L 200 200 200 200 200 200 200 200"),
    GET('certification:certificate-download',     "  L 200 404 404 404 200 404 404 404"),
    GET('certification:transcript-download',      "  L 200 200 200 200 200 200 200 200"),
    GET('courses:session',                        "  R   R   R   R   R   R   R   R   R", session_id="upcoming"),
    GET('courses:session-calendar',               "200 200 200 200 200 200 200 200 200", session_id="upcoming"),
    GET('courses:enrol',                          "  L 200 200 200 200 200 200 200 200", session_id="upcoming"),
    POST('courses:enrol',                          "  L   R   R   R   R   R   R   R   R", session_id="upcoming"),
    GET('courses:my-enrolments',                  "  L 200 200 200 200 200 200 200 200"),
    GET('courses:cancel',                         "  L 200 404 404 404 404 404 404 404"),
    POST('courses:cancel',                         "  L   R 404 404 404 404 404 404 404"),
    POST('courses:accept-offer',                   "  L   R 404 404 404 404 404 404 404"),
    POST('courses:decline-offer',                  "  L   R 404 404 404 404 404 404 404"),
    GET('courses:calendar-feed',                  "200 200 200 200 200 200 200 200 200"),
    POST('courses:regenerate-feed',                "  L   R   R   R   R   R   R   R   R"),
    GET('grading:home',                           "  L 403 403 200 200 200 403 403 403"),
    GET('grading:session',                        "  L 404 404 200 404 200 404 404 404"),
    GET('grading:attendance-sheet',               "  L 404 404 200 404 200 404 404 404"),
    GET('grading:assessment-create',              "  L 404 404 200 404 404 404 404 404"),
    POST('grading:assessment-create',              "  L 404 404 200 404 404 404 404 404"),
    GET('grading:make-up',                        "  L 404 404 200 404 404 404 404 404"),
    POST('grading:make-up',                        "  L 404 404 200 404 404 404 404 404"),
    GET('grading:attendance',                     "  L 404 404 200 404 404 404 404 404"),
    POST('grading:attendance',                     "  L 404 404   R 404 404 404 404 404"),
    GET('grading:grid',                           "  L 404 404 200 404 404 404 404 404"),
    POST('grading:grid',                           "  L 404 404   R 404 404 404 404 404"),
    POST('grading:mark-ready',                     "  L 404 404   R 404 404 404 404 404"),
    GET('grading:release',                        "  L 404 404 200 404 404 404 404 404", assessment_id="ready_assessment"),
    POST('grading:release',                        "  L 404 404   R 404 404 404 404 404", assessment_id="ready_assessment"),
    GET('grading:import',                         "  L 404 404 200 404 404 404 404 404"),
    POST('grading:import',                         "  L 404 404 200 404 404 404 404 404"),
    GET('grading:import-template',                      "  L 404 404 200 404 404 404 404 404", fmt="csv"),
    GET('grading:change-result',                  "  L 404 404 200 404 404 404 404 404"),
    POST('grading:change-result',                  "  L 404 404 200 404 404 404 404 404"),
    GET('grading:ask-repeat',                     "  L 404 404 200 404 404 404 404 404"),
    POST('grading:ask-repeat',                     "  L 404 404 200 404 404 404 404 404"),
    GET('grading:result-history',                 "  L 404 404 200 404 200 404 404 404"),
    GET('grading:my-results',                     "  L 200 200 200 200 200 200 200 200"),
    GET('grading:coordination',                   "  L 403 403 403 403 200 403 403 403"),
    GET('verification:bulk-check',                "  L 404 404 404 404 404 404 404 200"),
    POST('verification:bulk-check',                "  L 404 404 404 404 404 404 404 200"),
    GET('verification:certificate-settings',      "  L 200 404 404 404 404 404 404 404"),
    POST('verification:certificate-settings',      "  L 200 404 404 404 404 404 404 404"),
    GET('verification:credential-download',       "  L 200 404 404 404 404 404 404 404"),
    GET('vae:my-candidacies',                     "  L 200 200 200 200 200 200 200 200"),
    POST('vae:my-candidacies',                     "  L 200 200 200 200 200 200 200 200"),
    GET('vae:candidacy-detail',                   "  L 200 404 404 404 404 404 404 404"),
    GET('vae:experiences',                        "  L 200 404 404 404 404 404 404 404"),
    POST('vae:experiences',                        "  L 200 404 404 404 404 404 404 404"),
    GET('vae:experience-remove',                  "  L 200 404 404 404 404 404 404 404"),
    POST('vae:experience-remove',                  "  L   R 404 404 404 404 404 404 404"),
    GET('vae:self-assessment',                    "  L   R 404 404 404 404 404 404 404"),
    POST('vae:self-assessment',                    "  L   R 404 404 404 404 404 404 404"),
    GET('vae:self-assessment-block',              "  L 200 404 404 404 404 404 404 404"),
    POST('vae:self-assessment-block',              "  L 200 404 404 404 404 404 404 404"),
    GET('vae:evidence',                           "  L 200 404 404 404 404 404 404 404"),
    POST('vae:evidence',                           "  L 200 404 404 404 404 404 404 404"),
    GET('vae:evidence-remove',                    "  L 200 404 404 404 404 404 404 404"),
    POST('vae:evidence-remove',                    "  L   R 404 404 404 404 404 404 404"),
    GET('vae:lived-experience',                   "  L 200 404 404 404 404 404 404 404"),
    POST('vae:lived-experience',                   "  L 200 404 404 404 404 404 404 404"),
    GET('vae:statement',                          "  L 200 404 404 404 404 404 404 404"),
    POST('vae:statement',                          "  L 200 404 404 404 404 404 404 404"),
    POST('vae:candidate-action',                         "  L   R 404 404 404 404 404 404 404", action="withdraw"),
    GET('vae:evidence-download',                  "  L 200 404 404 404 200 200 404 404", pk="evidence"),
    GET('vae:staff-list',                         "  L 403 403 403 403 200 200 200 403"),
    GET('vae:jury-sessions',                      "  L 403 403 403 403 200 403 403 403"),
    POST('vae:jury-sessions',                      "  L 403 403 403 403 200 403 403 403"),
    GET('vae:staff-detail',                       "  L 403 403 403 403 200 200 404 403"),
    POST('vae:staff-admissibility',                "  L 403 403 403 403   R 403 403 403"),
    POST('vae:staff-counsellor',                   "  L 403 403 403 403   R 403 403 403"),
    POST('vae:staff-close',                        "  L 403 403 403 403   R 403 403 403"),
    POST('vae:staff-schedule',                     "  L 403 403 403 403   R 403 403 403"),
    GET('vae:conflict-declaration',               "  L 404 404 404 404 404 200 404 404", pk="undeclared_jury_candidacy"),
    POST('vae:conflict-declaration',               "  L 404 404 404 404 404   R 404 404", pk="undeclared_jury_candidacy", data={"has_conflict": "no"}),
    GET('vae:jury-decision',                      "  L 403 403 403 403 403 200 404 403", pk="jury_candidacy"),
    POST('vae:jury-decision',                      "  L 403 403 403 403 403 200 404 403", pk="jury_candidacy"),
    GET('page:cms_pages.HomePage',                      "200 200 200 200 200 200 200 200 200", url=lambda w: w.home.url),
    GET('page:cms_pages.StandardPage',                  "200 200 200 200 200 200 200 200 200", url=lambda w: w.standard_page.url),
    GET('page:cms_pages.CourseIndexPage',               "200 200 200 200 200 200 200 200 200", url=lambda w: w.course_index.url),
    GET('page:cms_pages.CoursePage',                    "200 200 200 200 200 200 200 200 200", url=lambda w: w.course_page.url),
    GET('page:cms_pages.SessionFinderPage',             "200 200 200 200 200 200 200 200 200", url=lambda w: w.finder.url),
    GET('page:cms_pages.SessionFinderPage:finder',      "200 200 200 200 200 200 200 200 200", url=lambda w: w.finder.url),
    GET('page:cms_pages.SessionFinderPage:index_route', "200 200 200 200 200 200 200 200 200", url=lambda w: w.finder.url),
    GET('page:cms_pages.SessionFinderPage:session_detail',"200 200 200 200 200 200 200 200 200", url=session_page),
    GET('page:cms_pages.SessionFinderPage:session_calendar',"200 200 200 200 200 200 200 200 200", url=session_calendar_page),
    GET('core_failed_tasks',                      "  L   L   L   L   L 200   L   L   L"),
    GET('core_failed_task_retry',                       "  L   L   L   L   L 405   L   L   L", failed_id="failed_task"),
    POST('core_failed_task_retry',                       "  L   L   L   L   L   R   L   L   L", failed_id="failed_task"),
    GET('dataexchange_index',                     "  L   L   L   L   L 200   L   L   L"),
    GET('dataexchange_job',                             "  L   L   L   L   L 200   L   L   L", pk="import_job"),
    GET('dataexchange_job_progress',                    "  L   L   L   L   L 200   L   L   L", pk="import_job"),
    POST('dataexchange_job_confirm',                     "  L   L   L   L   L   R   L   L   L", pk="import_job"),
    POST('dataexchange_job_cancel',                      "  L   L   L   L   L   R   L   L   L", pk="import_job"),
    GET('dataexchange_job_file',                        "  L   L   L   L   L 200   L   L   L", pk="import_job"),
    GET('dataexchange_import',                          "  L   L   L   L   L 200   L   L   L", name="users"),
    POST('dataexchange_import',                          "  L   L   L   L   L 200   L   L   L", name="users"),
    GET('dataexchange_export',                          "  L   L   L   L   L 200   L   L   L", name="users", fmt="csv"),
    GET('dataexchange_template',                        "  L   L   L   L   L 200   L   L   L", name="users", fmt="csv"),
    GET('reports_index',                          "  L   L   L   L   L 200   L   L   L"),
    GET('reports_table',                                "  L   L   L   L   L 200   L   L   L", section="funnel", table="funnel", fmt="csv"),
    GET('reports_research',                       "  L   L   L   L   L 405   L   L   L"),
    POST('reports_research',                       "  L   L   L   L   L 200   L   L   L"),
    GET('privacy_erasure_index',                  "  L   L   L   L   L 200   L   L   L"),
    GET('privacy_erasure_review',                       "  L   L   L   L   L 200   L   L   L", pk="erasure_request"),
    POST('privacy_erasure_review',                       "  L   L   L   L   L 200   L   L   L", pk="erasure_request"),
    GET('privacy:notice',                         "200 200 200 200 200 200 200 200 200"),
    GET('privacy:my-data',                        "  L 200 200 200 200 200 200 200 200"),
    POST('privacy:export-request',                 "  L   R   R   R   R   R   R   R   R"),
    GET('privacy:export-download',                      "  L   R 404 404 404 404 404 404 404", token="export_token"),
    POST('privacy:consent-withdraw',                     "  L   R 404 404 404 404 404 404 404", pk="consent"),
    GET('privacy:erasure-request',                "  L 200 200 200 200 200 200 200 200"),
    POST('privacy:erasure-request',                "  L 200 200 200 200 200 200 200 200"),
    POST('privacy:erasure-cancel',                 "  L   R   R   R   R   R   R   R   R"),
    # Third-party groups: representative rows (see THIRD_PARTY below).
    GET('wagtailadmin_home',                      "  L   L   L   L   L 200   L   L   L"),
    GET('account_login',                          "200   R   R   R   R   R   R   R   R"),
    GET('account_signup',                         "200   R   R   R   R   R   R   R   R"),
]
# fmt: on

# MATRIX_ONLY=prefix[,prefix…] runs only the rows whose key starts with one of them.
ONLY = tuple(os.environ.get("MATRIX_ONLY", "").split(","))


# Third-party URL groups, vetted as a whole: their own permission checks apply, and the
# representative rows of ROWS above show how they answer our personas. A pattern from any other
# package, or a project pattern without a row, fails ``test_every_url_has_a_row``.
THIRD_PARTY = {
    "wagtail": "Wagtail admin, documents, images and the page catch-all (Wagtail's own checks)",
    "allauth": "sign-up, log-in, password and e-mail screens (public by design)",
    "django": "media files in DEBUG only, and the admin's test 404",
}


def _route_params(key_to_route: dict[str, str], key: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", key_to_route.get(key, ""))


class PermissionMatrixTests(IsolatedFilesMixin, PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.world = build_world(cls)
        for actor in ACTORS:
            if actor != "anon":
                setattr(cls.world, actor, getattr(cls, actor))

    def setUp(self):
        super().setUp()
        self.client.raise_request_exception = False
        self.routes = {p.key: p.route for p in all_patterns()}

    def _ask(self, row, actor: str, url: str, check_writes: bool = True) -> tuple[str, list, str]:
        """(classified answer, the models the request changed, error) for one cell."""
        self.client.logout()
        if actor != "anon":
            self.login(getattr(self, actor))
        cache.clear()
        before = snapshot() if row.method == "POST" and check_writes else None
        with transaction.atomic():
            if row.method == "GET":
                response = self.client.get(url)
            else:
                response = self.client.post(url, row.data)
            answer = classify(response)
            after = snapshot() if before is not None else {}
            changed = [label for label in after if after[label] != before[label]]
            transaction.set_rollback(True)
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            error = repr(response.exc_info[1])
        if hasattr(response, "close"):
            # A file response is closed here, as a WSGI server would, but without the
            # request_finished handler that closes a connection inside a transaction (PostgreSQL).
            request_finished.disconnect(close_old_connections)
            try:
                response.close()
            finally:
                request_finished.connect(close_old_connections)
        return answer, changed, error

    def test_the_allowed_writes_behind_refusals_are_real(self):
        """A refused POST "writes nothing" only proves something if the allowed one writes:
        these rows point at objects the allowed actor really changes."""
        for key, actor, written in (
            ("grading:release", "trainer", "grading.Result"),
            ("vae:conflict-declaration", "assessor", "vae.ConflictDeclaration"),
        ):
            row = next(r for r in ROWS if r.key == key and r.method == "POST")
            url = row.build_url(self.world, _route_params(self.routes, row.key))
            answer, changed, error = self._ask(row, actor, url)
            self.assertEqual(answer, "R", f"{key} as {actor} {error}")
            self.assertIn(written, changed, key)

    def test_every_url_has_a_row(self):
        patterns = all_patterns()
        covered = {row.key for row in ROWS}
        missing = sorted(
            f"{p.key}  ({p.route})"
            for p in patterns
            if p.key not in covered and (p.is_project or p.module.split(".")[0] not in THIRD_PARTY)
        )
        self.assertEqual(missing, [], "URLs without a row in the permission matrix")
        known = {p.key for p in patterns}
        self.assertEqual(sorted(covered - known), [], "rows for URLs that no longer exist")

    def check_rows(self, rows) -> None:  # type: ignore[no-untyped-def]
        mismatches = []
        for row in rows:
            if not row.key.startswith(ONLY):
                continue
            url = row.build_url(self.world, _route_params(self.routes, row.key))
            for actor, expected in zip(ACTORS, row.expect, strict=True):
                answer, changed, error = self._ask(row, actor, url)
                if answer != expected:
                    mismatches.append(
                        f"{row.method} {row.key} as {actor}: expected {expected}, got {answer}"
                        f" {error}".rstrip()
                    )
                if expected in REFUSALS and changed:
                    mismatches.append(
                        f"{row.method} {row.key} as {actor}: refused but wrote {changed}"
                    )
        if mismatches:
            self.fail(f"{len(mismatches)} cells differ:\n" + "\n".join(mismatches))

    def test_print_observed_rows(self):
        """MATRIX_DISCOVER=1 prints what every actor gets now, as rows to review (never as
        expectations to copy blindly)."""
        if not os.environ.get("MATRIX_DISCOVER"):
            self.skipTest("set MATRIX_DISCOVER=1 to print the observed matrix")
        from tests.security.matrix import _row

        overrides = {row.key: row for row in ROWS}
        for pattern in all_patterns():
            if not (pattern.is_project or pattern.key in overrides):
                continue
            for method in ("GET", "POST"):
                template = overrides.get(pattern.key)
                options = dict(template.args) if template else {}
                if template and template.url:
                    options["url"] = template.url
                row = _row(method, pattern.key, " ".join("?" * len(ACTORS)), **options)
                try:
                    url = row.build_url(self.world, _route_params(self.routes, row.key))
                except Exception as problem:  # noqa: BLE001 - reported, not hidden
                    print(f"    # {pattern.key}: {problem!r}", flush=True)  # noqa: T201
                    break
                cells = []
                for actor in ACTORS:
                    answer, changed, error = self._ask(row, actor, url, check_writes=False)
                    cells.append(answer + ("!" if changed else "") + ("*" if error else ""))
                line = f'    {method}({pattern.key!r}, "{" ".join(f"{c:>3}" for c in cells)}"),'
                print(line, flush=True)  # noqa: T201


# The rows are checked in PARTS tests, which parallel test workers (pytest-xdist) share.
PARTS = 4


def _part_test(part: int):  # type: ignore[no-untyped-def]
    def test(self):  # type: ignore[no-untyped-def]
        self.check_rows(ROWS[part::PARTS])

    test.__doc__ = f"Every actor gets the expected answer (rows {part + 1}, {part + 1 + PARTS}, …)."
    return test


for _part in range(PARTS):
    setattr(
        PermissionMatrixTests,
        f"test_each_actor_gets_the_expected_answer_part_{_part + 1}",
        _part_test(_part),
    )
