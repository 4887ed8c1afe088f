<?php

define('DB_HOST', 'mysql.internal');
define('DB_PASSWORD', 'LE6ZcugmlwnLpM');

$password = 'TEMGoCl5rzl6';
$fromRequest = $_POST['password'];

return [
    'connections' => [
        'mysql' => [
            'host' => env('DB_HOST', '127.0.0.1'),
            'username' => 'shop',
            'password' => 'W7tOJ80JE2qF4z69',
        ],
        'reporting' => [
            'username' => env('REPORT_USER'),
            'password' => env('REPORT_PASSWORD', ''),
        ],
    ],
    'mail' => [
        'api_key' => 'a2f7c164c8170fbe7d5d5a4848145064',
    ],
];
