<?php

define('DB_HOST', 'mysql.internal');
define('DB_PASSWORD', 'Y1hPCa3yTTEpsK');

$password = 'hDXa22ZUn5Nj';
$fromRequest = $_POST['password'];

return [
    'connections' => [
        'mysql' => [
            'host' => env('DB_HOST', '127.0.0.1'),
            'username' => 'shop',
            'password' => 'sOy7IVt9vWzJQfqm',
        ],
        'reporting' => [
            'username' => env('REPORT_USER'),
            'password' => env('REPORT_PASSWORD', ''),
        ],
    ],
    'mail' => [
        'api_key' => '6c3a98faec23434556c1e237153dd2ad',
    ],
];
