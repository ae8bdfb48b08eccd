from django.urls import path

app_name = "archives"
urlpatterns: list = []
