@trusona
Feature: Encrypted verifications
  A business that wants the verification only in encrypted form sends its public key (a JWK
  of type RSA, EC, or OKP with curve X25519). Trusona answers with the id, the overall risk and
  the verification as a JWE (compact serialization) that only the business's private key
  opens: RSA-OAEP-256 for RSA keys, ECDH-ES for EC and X25519 keys, content encrypted with
  A256GCM. vouch decrypts it and checks the plaintext against the VerificationResponse schema.

  Scenario Outline: The verification comes back encrypted to the key sent
    Given the trusona API
    And I generate <key> key pair as business_key
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}],
       "publicWebKey": {business_key}}
      """
    Then the response status is 201
    And "$.overallRisk" is "NO"
    And "$.encryptedVerification" matches "^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
    And I remember "$.id" as id
    When I decrypt "$.encryptedVerification" with the key business_key
    Then "$.header.alg" is "<alg>"
    And "$.header.enc" is "A256GCM"
    And "$.verification.id" is "{id}"
    And "$.verification.status" is "WAITING"
    And "$.verification.documentType" is "US_CA_DL"
    And "$.verification.requestedVerifiers" is [{"verifier": "DMV"}]
    When I send GET /api/v1/encrypted/verifications/{id}
    Then the response status is 200
    And "$.id" is "{id}"
    When I decrypt "$.encryptedVerification" with the key business_key
    Then "$.verification.id" is "{id}"

    Examples:
      | key          | alg          |
      | an RSA       | RSA-OAEP-256 |
      | an EC P-256  | ECDH-ES      |
      | an X25519    | ECDH-ES      |

  # Honouring the JWK's `alg` is vouch's reading (contracts/NOTES.md § Trusona); the page
  # names no key-wrapping algorithm.
  @mock-only
  Scenario Outline: A key that asks for ECDH-ES with AES key wrap gets it
    Given the trusona API
    And I generate <key> key pair as business_key for "ECDH-ES+A256KW"
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "PASSPORT", "publicWebKey": {business_key}}
      """
    Then the response status is 201
    When I decrypt "$.encryptedVerification" with the key business_key
    Then "$.header.alg" is "ECDH-ES+A256KW"
    And "$.header.enc" is "A256GCM"
    And "$.header.kid" is "vouch-business_key"
    And "$.header.epk.crv" is "<crv>"

    Examples:
      | key         | crv    |
      | an EC P-256 | P-256  |
      | an X25519   | X25519 |

  Scenario: Only the key's owner can decrypt it
    Given the trusona API
    And I generate an EC P-256 key pair as business_key
    And I generate an EC P-256 key pair as someone_else
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "PASSPORT", "publicWebKey": {business_key}}
      """
    Then the response status is 201
    And decrypting "$.encryptedVerification" with the key someone_else fails

  @mock-only
  Scenario: Reading it again shows what the subject did since
    Given the trusona API
    And I generate an X25519 key pair as business_key
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "US_CA_DL", "requestedVerifiers": [{"verifier": "DMV"}],
       "publicWebKey": {business_key}}
      """
    And I remember "$.id" as id
    And I send GET /api/v1/verifications/{id}
    And I remember "$.linkUrl" as link
    And the subject scans the document at "{link}":
      """
      {"documentNumber": "D7654321", "firstName": "Jordan", "lastName": "Lee",
       "dateOfBirth": "01/01/1991", "expiryDate": "01/01/2099"}
      """
    And I send GET /api/v1/encrypted/verifications/{id}
    Then the response status is 200
    And "$.overallRisk" is "LOW"
    When I decrypt "$.encryptedVerification" with the key business_key
    Then "$.verification.status" is "SCANNED"
    And "$.verification.overallRisk" is "LOW"
    And "$.verification.verifierChecks[0].verifierResult" is "FAILURE"

  Scenario Outline: A key that is not a public RSA, EC or X25519 JWK is refused
    Given the trusona API
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "PASSPORT"<key>}
      """
    Then the response status is 400
    And "$.error" is "Bad Request"
    And "$.message" is "Must be one of RSA, EC or OKP (crv=X25519) type in JWK format"

    Examples:
      | key                                                                                                                                                                                                  |
      | , "publicWebKey": {"kty": "oct", "k": "c2VjcmV0LWtleS1tYXRlcmlhbA"}                                                                                                                                  |
      | , "publicWebKey": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}                                                                                               |
      | , "publicWebKey": {"kty": "OKP", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}                                                                                                                 |
      | , "publicWebKey": {"kty": "EC", "crv": "P-256", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4", "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM", "d": "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"} |
      | , "publicWebKey": {"kty": "EC", "crv": "P-256", "x": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE", "y": "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI"}                                         |
      | , "publicWebKey": {"kty": "EC", "crv": "P-256", "x": "AQ"}                                                                                                                                           |
      | , "publicWebKey": {"kty": "RSA", "e": "AQAB"}                                                                                                                                                        |
      | , "publicWebKey": {"kty": "OKP", "crv": "X25519", "x": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}                                                                                                |
      | , "publicWebKey": {"crv": "X25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}                                                                                                              |
      | , "publicWebKey": "RSA"                                                                                                                                                                              |
      |                                                                                                                                                                                                      |

  # Which keys are 422 is vouch's reading, and "nothing is stored" is checked on the seeded,
  # empty account.
  @mock-only
  Scenario Outline: A key of an accepted type that cannot be used fails validation (422)
    Given the trusona API
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "PASSPORT", "publicWebKey": <key>}
      """
    Then the response status is 422
    And "$.message" matches "^Validation failed: "
    When I send GET /api/v1/verifications?since=2000-01-01
    Then "$" has 0 items

    Examples:
      | key                                                                                                                                                                       |
      | {"kty": "EC", "crv": "P-384", "x": "AQ", "y": "AQ"}                                                                                                                       |
      | {"kty": "RSA", "n": "wJkaXKMaomJvRMJcKyjZYZ6M5dxwumnWMLdj4ccxcLw4tbBc59GZ2DTR8XLNBLQdBK7p4n0i58dMdZJcXpIcqVDR-E_UBg9JGsf5D-DKVLnRHX9b4-Q0Kd7mYtj_bi2-ab-Wxh6B4h1ltDsY2azlBspDgZ2jI3PA8XKt2k3oh4M", "e": "AQAB"} |
      | {"kty": "OKP", "crv": "X25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo", "use": "sig"}                                                                         |
      | {"kty": "OKP", "crv": "X25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo", "alg": "RSA-OAEP-256"}                                                                |

  Scenario: A verification created without a key has no encrypted form
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I send GET /api/v1/encrypted/verifications/{id}
    Then the response status is 404
    When I send GET /api/v1/encrypted/verifications/0b0c7e1e-5d7a-4a53-8f0e-0d5c1f2b3a4c
    Then the response status is 404

  # getEncryptedDocument: in the vendor's OpenAPI only (contracts/NOTES.md § Vendor evidence
  # (issue #14) › Trusona).
  @mock-only
  Scenario: The document comes back encrypted to the key the verification was created with
    Given the trusona API
    And I generate an EC P-256 key pair as business_key
    And I generate an EC P-256 key pair as someone_else
    When I send POST /api/v1/encrypted/verifications
      """
      {"documentType": "US_CA_DL", "publicWebKey": {business_key}}
      """
    And I remember "$.id" as id
    And I send GET /api/v1/encrypted/verifications/{id}/document
    Then the response status is 404
    When I send GET /api/v1/verifications/{id}
    And I remember "$.linkUrl" as link
    And the subject scans the document at "{link}":
      """
      {"documentNumber": "D1234567", "firstName": "Alex", "lastName": "Rivera",
       "dateOfBirth": "01/02/1985", "state": "CA"}
      """
    And I send GET /api/v1/encrypted/verifications/{id}/document
    Then the response status is 200
    And "$.verificationId" is "{id}"
    And decrypting "$.encryptedDocument" with the key someone_else fails
    When I decrypt "$.encryptedDocument" with the key business_key
    Then "$.header.alg" is "ECDH-ES"
    And "$.header.enc" is "A256GCM"
    And "$.document.UNMASKED.documentNumber" is "D1234567"
    And "$.document.UNMASKED.firstName" is "Alex"
    And "$.document.MASKED.documentNumber" is "D1******"
    And "$.document.MASKED.state" is "CA"
    When the mock clock advances 1800 seconds
    And I send GET /api/v1/encrypted/verifications/{id}/document
    Then the response status is 410

  Scenario: A verification created without a key has no encrypted document
    Given the trusona API
    When I send POST /api/v1/verifications
      """
      {"documentType": "PASSPORT"}
      """
    And I remember "$.id" as id
    And I send GET /api/v1/encrypted/verifications/{id}/document
    Then the response status is 404
