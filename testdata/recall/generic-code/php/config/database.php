<?php

define('DB_HOST', 'mysql.internal');
define('DB_PASSWORD', 'fqmmyUhvt8rKEU');

$password = 'OvC0yfgjNgiR';
$fromRequest = $_POST['password'];

return [
    'connections' => [
        'mysql' => [
            'host' => env('DB_HOST', '127.0.0.1'),
            'username' => 'shop',
            'password' => 'OTllmzc1DLTfgock',
        ],
        'reporting' => [
            'username' => env('REPORT_USER'),
            'password' => env('REPORT_PASSWORD', ''),
        ],
    ],
    'mail' => [
        'api_key' => '3dd2ad464cfad0ca708a6a9e3c6a9358',
    ],
];
