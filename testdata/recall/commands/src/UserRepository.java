package com.corp.shop.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

public final class UserRepository {
    private static final String INSERT =
        "INSERT INTO users (email, password, role) VALUES (?, ?, ?)";
    private static final String CREATE_ROLE =
        "CREATE ROLE %s WITH LOGIN PASSWORD '%s'";

    private final Connection db;

    public UserRepository(Connection db) {
        this.db = db;
    }

    public void add(String email, String passwordHash, String role) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(INSERT)) {
            st.setString(1, email);
            st.setString(2, passwordHash);
            st.setString(3, role);
            st.executeUpdate();
        }
    }

    String createRole(String name, String password) {
        return String.format(CREATE_ROLE, name, password);
    }
}
