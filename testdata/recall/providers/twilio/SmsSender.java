package com.contoso.notify;

import com.twilio.Twilio;
import com.twilio.rest.api.v2010.account.Message;

public class SmsSender {
    public static final String ACCOUNT_SID = "ACbfeecea92f2e424b4c2f420a844af02d";
    public static final String AUTH_TOKEN = "300c798e2df666bcf0432181a58e873d";
    // request id of the last failing call, kept for the support ticket
    public static final String LAST_REQUEST = "RQ0fde802357419d1a8f25c875fe1adeb6";

    static {
        Twilio.init(ACCOUNT_SID, AUTH_TOKEN);
    }
}
