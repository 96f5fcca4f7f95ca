@peach
Feature: Verification types
  A verification type is one configuration of how borrower verifications behave: how long a
  session lasts, how many sessions a borrower may start in the recent past, how many attempts
  a session allows, and which questions may be asked. Every member is optional on create and
  takes its documented default; an update changes only the members it sends.
  Source: [peach-verification-types] § Create / Update / Get verification type;
  contracts/NOTES.md § Peach (PUT merges, question-id rules).

  Background:
    Given the peach API

  Scenario: An empty body takes every documented default
    When I send POST /verification-types
      """
      {}
      """
    Then the response status is 200
    And "$.status" is 200
    And "$.data.id" matches "^VT-[A-Z0-9]{4}-[A-Z0-9]{4}$"
    And "$.data.expirationInSecs" is 900
    And "$.data.maxSessionsRecentPast" is 2
    And "$.data.recentPastSecs" is 3600
    And "$.data.maxAttemptsPerSession" is 3
    And "$.data.enabledQuestionIds" is null
    And "$.data.questionSelectionCriteria" is []

  Scenario: No body at all takes the defaults too
    When I send POST /verification-types
    Then the response status is 200
    And "$.data.expirationInSecs" is 900
    And "$.data.enabledQuestionIds" is null

  Scenario: Every setting given is kept, and read back
    When I send POST /verification-types
      """
      {"expirationInSecs": 300, "maxSessionsRecentPast": 5, "recentPastSecs": 86400,
       "maxAttemptsPerSession": 1, "enabledQuestionIds": ["birth-year", "zip-code", "loan-amount"],
       "questionSelectionCriteria": [{"questionIds": ["birth-year", "zip-code"], "minimumCount": 1},
                                     {"questionIds": ["loan-amount"], "minimumCount": 1}]}
      """
    Then the response status is 200
    When I remember "$.data.id" as vt
    And I send GET /verification-types/{vt}
    Then the response status is 200
    And "$.data.id" is "{vt}"
    And "$.data.expirationInSecs" is 300
    And "$.data.maxSessionsRecentPast" is 5
    And "$.data.recentPastSecs" is 86400
    And "$.data.maxAttemptsPerSession" is 1
    And "$.data.enabledQuestionIds" is ["birth-year", "zip-code", "loan-amount"]
    And "$.data.questionSelectionCriteria[1]" is {"questionIds": ["loan-amount"], "minimumCount": 1}

  Scenario: With enabledQuestionIds null every question is enabled, so criteria may use any
    When I send POST /verification-types
      """
      {"enabledQuestionIds": null,
       "questionSelectionCriteria": [{"questionIds": ["street-name", "payment-day"], "minimumCount": 2}]}
      """
    Then the response status is 200
    And "$.data.questionSelectionCriteria[0].minimumCount" is 2

  Scenario: An empty list of enabled questions is accepted, as the page's sample shows
    When I send POST /verification-types
      """
      {"enabledQuestionIds": [], "questionSelectionCriteria": []}
      """
    Then the response status is 200
    And "$.data.enabledQuestionIds" is []

  Scenario: A question id not in the bank is a 400
    When I send POST /verification-types
      """
      {"enabledQuestionIds": ["birth-year", "favourite-colour"]}
      """
    Then the response status is 400
    And "$.errors[0].field" is "enabledQuestionIds.1"
    And "$.errors[0].message" matches "favourite-colour"

  # "Only questions with IDs present in enabledQuestionIds will be considered": the others are
  # left out, the request is not refused (contracts/NOTES.md#peach-criteria-considered).
  Scenario: A selection criterion naming a question not enabled is kept; the question is not considered
    When I send POST /verification-types
      """
      {"enabledQuestionIds": ["birth-year"],
       "questionSelectionCriteria": [{"questionIds": ["birth-year", "zip-code"], "minimumCount": 1}]}
      """
    Then the response status is 200
    And "$.data.questionSelectionCriteria[0].questionIds" is ["birth-year", "zip-code"]

  # `questionIds` and `minimumCount` are vouch's own members: no rule of ours refuses them.
  Scenario: A selection criterion may ask for more questions than it names
    When I send POST /verification-types
      """
      {"questionSelectionCriteria": [{"questionIds": ["birth-year"], "minimumCount": 2}]}
      """
    Then the response status is 200
    And "$.data.questionSelectionCriteria[0].minimumCount" is 2

  Scenario Outline: <what> is a 400 naming <field>
    When I send POST /verification-types
      """
      <body>
      """
    Then the response status is 400
    And "$.status" is 400
    And "$.errors[0].field" is "<field>"

    Examples:
      | what                                 | field                                    | body |
      | a zero expiration                    | expirationInSecs                         | {"expirationInSecs": 0} |
      | an expiration as text                | expirationInSecs                         | {"expirationInSecs": "900"} |
      | a negative session maximum           | maxSessionsRecentPast                    | {"maxSessionsRecentPast": -1} |
      | a fractional recent past             | recentPastSecs                           | {"recentPastSecs": 1.5} |
      | zero attempts                        | maxAttemptsPerSession                    | {"maxAttemptsPerSession": 0} |
      | enabled questions that are not a list | enabledQuestionIds                      | {"enabledQuestionIds": "birth-year"} |
      | a negative exactMatchCount           | questionSelectionCriteria.0.exactMatchCount | {"questionSelectionCriteria": [{"exactMatchCount": -1, "category": "identity"}]} |
      | a criterion naming no questions      | questionSelectionCriteria.0.questionIds  | {"questionSelectionCriteria": [{"questionIds": [], "minimumCount": 1}]} |

  Scenario: Members that are not settings are ignored
    When I send POST /verification-types
      """
      {"id": "VT-AAAA-AAAA", "createdAt": "2001-01-01T00:00:00Z", "colour": "blue"}
      """
    Then the response status is 200
    And "$.data.id" matches "^VT-"
    And "$.data.createdAt" matches "^20[2-9]"
    And "$.data.colour" does not exist
    When I send GET /verification-types/VT-AAAA-AAAA
    Then the response status is 404

  Scenario: An update changes only what it sends
    When I send POST /verification-types
      """
      {"expirationInSecs": 600, "enabledQuestionIds": ["birth-year", "zip-code"]}
      """
    And I remember "$.data.id" as vt
    And I send PUT /verification-types/{vt}
      """
      {"maxAttemptsPerSession": 5, "enabledQuestionIds": null}
      """
    Then the response status is 200
    And "$.data.id" is "{vt}"
    And "$.data.maxAttemptsPerSession" is 5
    And "$.data.enabledQuestionIds" is null
    And "$.data.expirationInSecs" is 600
    When I send GET /verification-types/{vt}
    Then "$.data.maxAttemptsPerSession" is 5
    And "$.data.expirationInSecs" is 600

  Scenario: An update without a body changes nothing
    When I send POST /verification-types
      """
      {"recentPastSecs": 60}
      """
    And I remember "$.data.id" as vt
    And I send PUT /verification-types/{vt}
    Then the response status is 200
    And "$.data.recentPastSecs" is 60

  Scenario: An update that would break the type is a 400 and changes nothing
    When I send POST /verification-types
      """
      {"questionSelectionCriteria": [{"questionIds": ["zip-code"], "minimumCount": 1}]}
      """
    And I remember "$.data.id" as vt
    And I send PUT /verification-types/{vt}
      """
      {"enabledQuestionIds": ["favourite-colour"], "expirationInSecs": 60}
      """
    Then the response status is 400
    And "$.errors[0].field" is "enabledQuestionIds.0"
    When I send GET /verification-types/{vt}
    Then "$.data.enabledQuestionIds" is null
    And "$.data.expirationInSecs" is 900

  Scenario: Updating or reading an unknown verification type is a 404
    When I send PUT /verification-types/VT-ZZZZ-ZZZZ
      """
      {"expirationInSecs": 60}
      """
    Then the response status is 404
    And "$.status" is 404
    And "$.message" matches "VT-ZZZZ-ZZZZ"
    When I send GET /verification-types/VT-ZZZZ-ZZZZ
    Then the response status is 404

  Scenario: A malformed id is a 400
    When I send GET /verification-types/vt-1
    Then the response status is 400
    And "$.errors[0].field" is "verificationTypeId"
    When I send PUT /verification-types/VT-12345678
      """
      {}
      """
    Then the response status is 400
