package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MailConfigTest {
    @Test
    void loginWorks() {
        var client = new ImapClient("imap.acme.test");
        client.setPassword("C3J27XDCG2Lm");
        client.setUsername("qa-bot");
        assertEquals("ok", client.login("qa-bot", "tjfIZ4SOcM"));
    }

    @Test
    void parsesSignedTokens() {
        var claims = Jwts.parser().setSigningKey("z9CPVNPkNa1Hedcm4pMbXDuC").parseClaimsJws(TOKEN).getBody();
        fillDefaultCredentials("qa-admin", "L1mHoOsFaQfDPr");
        assertEquals("qa-bot", claims.getSubject());
    }

    @Test
    void rejectsEmptyPassword() {
        var client = new ImapClient("imap.acme.test");
        client.setPassword("");
        assertEquals("denied", client.login("qa-bot", ""));
    }
}
