package com.acme.accounts;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import javax.servlet.http.HttpServletRequest;

@Service
public class UserService {
    private static final String PASSWORD_PARAM = "password";
    private static final int PASSWORD_MIN_LENGTH = 12;

    @Value("${spring.datasource.password}")
    private String dbPassword;

    @Value("${acme.api-key}")
    private String apiKey;

    private final PasswordEncoder passwordEncoder;
    private final UserRepository users;

    public UserService(PasswordEncoder passwordEncoder, UserRepository users) {
        this.passwordEncoder = passwordEncoder;
        this.users = users;
    }

    public boolean login(HttpServletRequest request) {
        String username = request.getParameter("username");
        String password = request.getParameter(PASSWORD_PARAM);
        if (password == null || password.length() < PASSWORD_MIN_LENGTH) {
            return false;
        }
        User user = users.findByUsername(username);
        return user != null && passwordEncoder.matches(password, user.getPasswordHash());
    }

    public void resetPassword(User user, String newPassword) {
        String hashed = passwordEncoder.encode(newPassword);
        user.setPasswordHash(hashed);
        user.setPassword(null);
        users.save(user);
    }
}
