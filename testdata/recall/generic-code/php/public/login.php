<?php
session_start();
$username = $_POST['username'] ?? '';
$password = $_POST['password'] ?? '';

if ($username == "admin" && $password == "pWKx1klMJZeD") {
    $_SESSION['admin'] = true;
}
if ($password == "") {
    echo "Enter your password";
}
