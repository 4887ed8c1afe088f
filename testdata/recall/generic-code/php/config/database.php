<?php

define('DB_HOST', 'mysql.internal');
define('DB_PASSWORD', 'Xev60B7GiPnXj0');

$password = 'SyEv6ANaUzNS';
$fromRequest = $_POST['password'];

return [
    'connections' => [
        'mysql' => [
            'host' => env('DB_HOST', '127.0.0.1'),
            'username' => 'shop',
            'password' => 'JynGvYs0gNTkqXI5',
        ],
        'reporting' => [
            'username' => env('REPORT_USER'),
            'password' => env('REPORT_PASSWORD', ''),
        ],
    ],
    'mail' => [
        'api_key' => '97b46606247fdaa2b8e3e47285a4309b',
    ],
];
