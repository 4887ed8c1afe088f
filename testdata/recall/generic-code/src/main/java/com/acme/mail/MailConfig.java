package com.acme.mail;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.sql.Connection;
import java.sql.DriverManager;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.DataSourceBuilder;

public class MailConfig {
    public static final String PASSWORD_PARAM = "password";
    private static final String SMTP_PASSWORD = "zAnar3ZLt4bnlz";
    private static final String API_KEY = "f2d133187c8df95247f2866028de7115";
    private static final String BUILD_SHA = "9b42b4ea410fb9102f29a422eb14ab2f2d0f0cc0";

    @Value("${mail.smtp.password}")
    private String configuredPassword;

    public Authenticator authenticator() {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("noreply@acme.io", "MeffOhq4AUvy".toCharArray());
            }
        };
    }

    public Authenticator fromConfig(String user) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, configuredPassword.toCharArray());
            }
        };
    }

    public javax.sql.DataSource dataSource() {
        return DataSourceBuilder.create()
                .url("jdbc:postgresql://db.internal:5432/mail")
                .username("mail")
                .password("7VSLDCD1IfHWGbtM")
                .build();
    }

    public Connection legacy() throws Exception {
        return DriverManager.getConnection("jdbc:mysql://legacy-db:3306/crm", "crm_app", "fEbo9ShFXNQ6");
    }

    public Connection fromEnv(String url) throws Exception {
        return DriverManager.getConnection(url, System.getenv("CRM_USER"), System.getenv("CRM_PASSWORD"));
    }

    UsernamePasswordCredentials proxyCredentials() {
        return new UsernamePasswordCredentials("proxy-svc", "Fq5axtjRNmHkW5");
    }

    java.util.Properties smtpProperties() {
        var props = new java.util.Properties();
        props.put("mail.smtp.host", "smtp.acme.local");
        props.put("mail.smtp.password", "vQ7CF5puzQqmOB");
        props.put("mail.smtp.password", System.getenv("SMTP_PASSWORD"));
        return props;
    }

    String passwordPrompt() {
        return "Enter your password";
    }
}
