<?php
session_start();
$username = $_POST['username'] ?? '';
$password = $_POST['password'] ?? '';

if ($username == "admin" && $password == "XI5tJowNGGjK") {
    $_SESSION['admin'] = true;
}
if ($password == "") {
    echo "Enter your password";
}
