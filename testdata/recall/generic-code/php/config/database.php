<?php

define('DB_HOST', 'mysql.internal');
define('DB_PASSWORD', 'X6l6dWDbLE6Zcu');

$password = 'oCl5rzl6W7tO';
$fromRequest = $_POST['password'];

return [
    'connections' => [
        'mysql' => [
            'host' => env('DB_HOST', '127.0.0.1'),
            'username' => 'shop',
            'password' => 'J80JE2qF4z69vQJX',
        ],
        'reporting' => [
            'username' => env('REPORT_USER'),
            'password' => env('REPORT_PASSWORD', ''),
        ],
    ],
    'mail' => [
        'api_key' => '2f7c164c8170fbe7d5d5a48481450644',
    ],
];
