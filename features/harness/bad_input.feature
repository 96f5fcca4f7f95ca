@mock-only
Feature: Bad input never breaks the mock
  Malformed JSON, a wrong content type, an empty body, a body over 1 MiB, an unknown path, a
  wrong method and missing or wrong credentials each get the vendor's documented error shape
  (the automatic contract check proves the shape), never a 5xx.

  Scenario Outline: Malformed JSON gets the vendor's 400
    Given the <api> API
    And the request header "Accept" is "application/json"
    When I send POST <path> with content type "application/json"
      """
      {"broken":
      """
    Then the response status is 400
    And the request broke the contract with "json" at "/body"

    Examples:
      | api      | path                    |
      | peach    | /verification-types     |
      | truework | /credentials/session    |
      | verified | /1-click                |
      | trusona  | /api/v1/verifications   |

  Scenario Outline: A wrong content type gets the vendor's 400
    Given the <api> API
    And the request header "Accept" is "application/json"
    When I send POST <path> with content type "text/plain"
      """
      hello
      """
    Then the response status is 400
    And the request broke the contract with "content-type" at "/headers/content-type"

    Examples:
      | api      | path                    |
      | peach    | /verification-types     |
      | truework | /credentials/session    |
      | verified | /1-click                |
      | trusona  | /api/v1/verifications   |

  Scenario Outline: A missing required body gets the vendor's 400
    Given the <api> API
    And the request header "Accept" is "application/json"
    When I send POST <path> with content type ""
    Then the response status is 400
    And the request broke the contract with "body-required" at "/body"

    Examples:
      | api      | path                    |
      | truework | /credentials/session    |
      | verified | /1-click                |
      | trusona  | /api/v1/verifications   |

  Scenario: A body over 1 MiB gets 413 in the vendor's shape (a status no vendor documents)
    Given the peach API
    And the next response is expected to break the contract
    When I send POST /verification-types with a JSON body of 1100000 bytes
    Then the response status is 413
    And the response broke the contract with "status" at "/status"
    And "$.status" is 413

  Scenario Outline: An unknown path gets the vendor's 404
    Given the <api> API
    When I send GET /no/such/thing
    Then the response status is 404
    And the request broke the contract with "unknown-operation" at "/path"
    And "<member>" exists

    Examples:
      | api      | member          |
      | peach    | $.message       |
      | truework | $.error.message |
      | verified | $.data.errorCode |
      | trusona  | $.path          |

  Scenario: A wrong method gets 405 with the allowed methods
    Given the peach API
    When I send DELETE /verification-types
    Then the response status is 405
    And the response header "Allow" is "GET, POST"
    And the request broke the contract with "method" at "/method"

  Scenario Outline: Missing or wrong credentials get the vendor's 401
    Given the <api> API
    And <credentials>
    When I send GET <path>
    Then the response status is 401

    Examples:
      | api      | credentials                        | path                                                          |
      | peach    | I use no credentials               | /verification-questions                                       |
      | peach    | I use the credential "not-a-token" | /verification-questions                                       |
      | verified | I use no credentials               | /credentials/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c            |
      | verified | I use the credential "wrong-key"   | /credentials/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c            |
      | trusona  | I use the credential "not-a-jwt"   | /api/v1/verifications/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c   |
