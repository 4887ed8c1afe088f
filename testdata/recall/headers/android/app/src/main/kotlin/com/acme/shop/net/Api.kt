package com.acme.shop.net

import okhttp3.Credentials
import okhttp3.OkHttpClient
import okhttp3.Request

object Api {
    private val client = OkHttpClient()

    fun catalog(): Request = Request.Builder()
        .url("https://catalog.shop.io/v1/items")
        .addHeader("Authorization", "Bearer khvfaiuDpLOAC0tJmWntmIBhQpicuJXf")
        .build()

    fun reports(): Request = Request.Builder()
        .url("https://reports.shop.io/v1/daily")
        .header("Authorization", Credentials.basic("reports", "GR5wdHPmxHSb9Sqv"))
        .build()

    fun withToken(token: String): Request = Request.Builder()
        .url("https://catalog.shop.io/v1/items")
        .addHeader("Authorization", "Bearer $token")
        .build()
}
