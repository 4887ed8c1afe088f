class TokenTest {
    static final String JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"Rpd04-k2zW0ordr00Yjb7CcU-MwuY5CV7BZWC7S_jVE\",\"y\":\"hSSNqASCcPYPb7emm9m2pHWUs7tMog_H87aQdZOkpFA\",\"d\":\"ak0Q-citpaqZB7CRAaZVqRmiQgiBu7BO1ASkaVXNYZ8\"}";
    static final String PUBLIC_JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"CMTJX04d9QbrM--Zn6vvXLMascYPgSBrfokg5GZKAKs\",\"y\":\"8gohscayPcFkFPWqD22C0NR_Hbqq6ub_C28pF9kW2Y8\"}";
}
