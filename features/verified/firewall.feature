@verified
Feature: The firewall in front of Verified's API
  SUPPLEMENT.md § Verified Inc. > Error codes: requests the firewall blocks get a different body,
  `{"error": "...", "message": "..."}` (FirewallError), with 403, 418 (the API key used from a
  browser) or 429, on every operation. The docs give no rule for when; the mock's rules are
  vouch's choices (contracts/NOTES.md § Verified Inc. > Mock behaviour, The firewall): a seeded
  blocked key (403), an `Origin` header, which browsers send and servers do not (418), a seeded
  rate-limited key (429 with `Retry-After`). The firewall answers before the request's body is
  looked at, so no operation needs a body here. `@mock-only`: the triggers are the mock's.

  Background:
    Given the verified API

  @mock-only
  Scenario Outline: <operation> with a key the firewall blocks is 403 FirewallError
    Given I use the credential "vouch-verified-blocked-key"
    When I send <method> <path>
    Then the response status is 403
    And "$.error" exists
    And "$.message" exists
    And "$.code" does not exist

    Examples:
      | operation                    | method | path                                |
      | createOneClick               | POST   | /1-click                            |
      | createTrustedOneClick        | POST   | /1-click/trusted                    |
      | getOneClick                  | GET    | /1-click/{uuid}                     |
      | updateOneClickCredentials    | POST   | /1-click/{uuid}/credentials         |
      | hasMatchingCredentials       | POST   | /hasMatchingCredentials             |
      | getSharedCredentials         | GET    | /sharedCredentials/{uuid}           |
      | issueCredentials             | POST   | /credentials                        |
      | getCredential                | GET    | /credentials/{uuid}                 |
      | patchCredential              | PATCH  | /credentials/{uuid}                 |
      | getUserCredentials           | GET    | /userCredentials/nobody@example.com |
      | patchUserCredentials         | PATCH  | /userCredentials/nobody@example.com |
      | getPartnerCredentialRequests | GET    | /credentialRequests/{uuid}          |
      | createOneClickV2             | POST   | /v2/1-click                         |
      | getOneClickV2                | GET    | /v2/1-click/{uuid}                  |
      | patchOneClickV2              | PATCH  | /v2/1-click/{uuid}                  |

  @mock-only
  Scenario Outline: <operation> with the API key sent from a browser is 418 FirewallError
    Given the request header "Origin" is "https://app.hooli.example"
    When I send <method> <path>
    Then the response status is 418
    And "$.error" exists
    And "$.message" exists
    And "$.code" does not exist

    Examples:
      | operation                    | method | path                                |
      | createOneClick               | POST   | /1-click                            |
      | createTrustedOneClick        | POST   | /1-click/trusted                    |
      | getOneClick                  | GET    | /1-click/{uuid}                     |
      | updateOneClickCredentials    | POST   | /1-click/{uuid}/credentials         |
      | hasMatchingCredentials       | POST   | /hasMatchingCredentials             |
      | getSharedCredentials         | GET    | /sharedCredentials/{uuid}           |
      | issueCredentials             | POST   | /credentials                        |
      | getCredential                | GET    | /credentials/{uuid}                 |
      | patchCredential              | PATCH  | /credentials/{uuid}                 |
      | getUserCredentials           | GET    | /userCredentials/nobody@example.com |
      | patchUserCredentials         | PATCH  | /userCredentials/nobody@example.com |
      | getPartnerCredentialRequests | GET    | /credentialRequests/{uuid}          |
      | createOneClickV2             | POST   | /v2/1-click                         |
      | getOneClickV2                | GET    | /v2/1-click/{uuid}                  |
      | patchOneClickV2              | PATCH  | /v2/1-click/{uuid}                  |

  @mock-only
  Scenario Outline: <operation> with a key over the firewall's rate limit is 429 FirewallError
    Given I use the credential "vouch-verified-rate-limited-key"
    When I send <method> <path>
    Then the response status is 429
    And "$.error" exists
    And "$.message" exists
    And "$.code" does not exist
    And the response header "Retry-After" is "60"

    Examples:
      | operation                    | method | path                                |
      | createOneClick               | POST   | /1-click                            |
      | createTrustedOneClick        | POST   | /1-click/trusted                    |
      | getOneClick                  | GET    | /1-click/{uuid}                     |
      | updateOneClickCredentials    | POST   | /1-click/{uuid}/credentials         |
      | hasMatchingCredentials       | POST   | /hasMatchingCredentials             |
      | getSharedCredentials         | GET    | /sharedCredentials/{uuid}           |
      | issueCredentials             | POST   | /credentials                        |
      | getCredential                | GET    | /credentials/{uuid}                 |
      | patchCredential              | PATCH  | /credentials/{uuid}                 |
      | getUserCredentials           | GET    | /userCredentials/nobody@example.com |
      | patchUserCredentials         | PATCH  | /userCredentials/nobody@example.com |
      | getPartnerCredentialRequests | GET    | /credentialRequests/{uuid}          |
      | createOneClickV2             | POST   | /v2/1-click                         |
      | getOneClickV2                | GET    | /v2/1-click/{uuid}                  |
      | patchOneClickV2              | PATCH  | /v2/1-click/{uuid}                  |

  @mock-only
  Scenario: The firewall does not stand in for authentication: an unknown key from a browser is 401
    Given I use the credential "not-a-key"
    And the request header "Origin" is "https://app.hooli.example"
    When I send GET /credentials/{uuid}
    Then the response status is 401
    And "$.name" is "NotAuthenticated"

  @mock-only
  Scenario: The default key from a server passes the firewall
    When I send GET /credentials/{uuid}
    Then the response status is 404
    And "$.name" is "NotFound"
