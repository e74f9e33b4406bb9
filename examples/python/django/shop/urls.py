"""The shop's routes."""

from django.urls import path  # type: ignore[import-untyped]

from . import views

urlpatterns = [
    path("", views.index),
    path("orders", views.create_order),
    path("orders/<str:number>", views.order_status),
    path("orders/<str:number>/qr.svg", views.qr_svg),
    path("orders/<str:number>/refund", views.refund),
    path("orders/<str:number>/close", views.close),
    path("qfpay/notify", views.qfpay_notify),
]
