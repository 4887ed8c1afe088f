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
    private static final String SMTP_PASSWORD = "beKXgzg2sye9b2";
    private static final String API_KEY = "0661fccd268a29a0d347301ef56e64dc";
    private static final String BUILD_SHA = "56cf2d133187c8df95247f2866028de71159b42b";

    @Value("${mail.smtp.password}")
    private String configuredPassword;

    public Authenticator authenticator() {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("noreply@acme.io", "i5CvQUSHL8iL".toCharArray());
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
                .password("c7bE6wSt9cbMOeEe")
                .build();
    }

    public Connection legacy() throws Exception {
        return DriverManager.getConnection("jdbc:mysql://legacy-db:3306/crm", "crm_app", "UtuieeCIxVc5");
    }

    public Connection fromEnv(String url) throws Exception {
        return DriverManager.getConnection(url, System.getenv("CRM_USER"), System.getenv("CRM_PASSWORD"));
    }

    UsernamePasswordCredentials proxyCredentials() {
        return new UsernamePasswordCredentials("proxy-svc", "7VVTiY96vwfRE5");
    }

    java.util.Properties smtpProperties() {
        var props = new java.util.Properties();
        props.put("mail.smtp.host", "smtp.acme.local");
        props.put("mail.smtp.password", "e32A8Yb3FKaNQy");
        props.put("mail.smtp.password", System.getenv("SMTP_PASSWORD"));
        return props;
    }

    String passwordPrompt() {
        return "Enter your password";
    }
}
