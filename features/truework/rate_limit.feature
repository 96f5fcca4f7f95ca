@truework @mock-only
Feature: Each token has a rate limit
  A token that sends too many requests gets 429 with `Retry-After` (seconds) until its window
  frees up. The mock's limit is per token: 30 requests a minute for ordinary tokens, one a
  minute for the seeded vouch-rate-limited-token (features/truework/README.md). Refused
  requests do not count. The window runs on the mock clock.
  Source: [truework-session] § Errors 429 (the limit itself is vouch's choice,
  contracts/NOTES.md § Truework).

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"
    And I use the credential "vouch-rate-limited-token"

  Scenario: Over the limit is 429 with Retry-After; after waiting, the next request is served
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 429
    And the response header "Retry-After" is "60"
    And "$.error.message" exists
    When the mock clock advances 30 seconds
    And I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 429
    And the response header "Retry-After" is "30"
    When the mock clock advances 30 seconds
    And I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201

  Scenario: Invalid requests count too, and the limit is checked first
    When I send POST /credentials/session
      """
      {"type": "nonsense"}
      """
    Then the response status is 400
    When I send POST /credentials/session
      """
      {"type": "nonsense"}
      """
    Then the response status is 429
    And the response header "Retry-After" is "60"

  Scenario: The limit is per token
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    And I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 429
    Given I use the default credentials
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 201
